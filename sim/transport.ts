/**
 * Moves messages between endpoints (nodes, then clients) through the network's faults, and
 * says so in the trace: send (with its payload and due time), duplicate, drop (with a reason).
 * Deliveries themselves are the engine's: they run handlers.
 */
import type { EventHeap } from './heap.ts'
import type { Network } from './network/network.ts'
import type { NodeSlot } from './node-slot.ts'
import type { AnyProtocol } from './protocol.ts'
import { DELIVER, type Packet, type PacketKind, type QueueEvent } from './queue-event.ts'
import type { RunStats } from './result.ts'
import type { Micros } from './time.ts'
import type { DropReason, InFlight } from './trace/events.ts'
import type { Tracer } from './tracer.ts'

export interface TransportHost {
  now(): Micros
  push(at: Micros, kind: number, target: number, data: QueueEvent['data']): void
  nameOf(endpoint: number): string
}

export class Transport {
  private nextMessageId = 0

  constructor(
    private readonly host: TransportHost,
    private readonly network: Network,
    private readonly tracer: Tracer,
    private readonly stats: RunStats,
    private readonly slots: readonly NodeSlot[],
    private readonly protocol: AnyProtocol,
    private readonly countBytes: boolean,
  ) {}

  /** Sends from endpoint to endpoint: cut, lost, or queued for delivery (and maybe duplicated). */
  transmit(from: number, to: number, kind: PacketKind, mtype: string, msg: unknown): void {
    const destIncarnation = to < this.slots.length ? this.slots[to]!.incarnation : 0
    const p: Packet = { id: this.nextMessageId++, from, to, kind, mtype, msg, destIncarnation, dueUs: -1 }
    this.stats.sent++
    if (this.countBytes) this.stats.bytes += this.messageBytes(kind, msg)
    if (this.network.isCut(from, to)) return this.sendThenDrop(p, 'partition')
    const route = this.network.draw(from, to)
    if (route.lost) return this.sendThenDrop(p, 'loss')
    const copyDelayUs = route.copyDelayUs
    p.dueUs = this.host.now() + route.delayUs
    this.host.push(p.dueUs, DELIVER, to, p)
    this.traceSend(p, p.dueUs)
    if (copyDelayUs >= 0) this.duplicate(p, copyDelayUs)
  }

  drop(p: Packet, reason: DropReason): void {
    this.stats.dropped[reason]++
    if (!this.tracer.enabled) return
    const name = this.host.nameOf
    this.tracer.emit({ i: 0, t: this.host.now(), type: 'drop', id: p.id, from: name(p.from), to: name(p.to), mtype: p.mtype, reason })
  }

  isCut(from: number, to: number): boolean {
    return this.network.isCut(from, to)
  }

  /** Messages on their way, by id: queued deliveries, and those waiting at paused nodes. */
  inFlight(queue: EventHeap<QueueEvent>): InFlight[] {
    const packets: Packet[] = []
    for (const e of queue.unordered()) if (e.kind === DELIVER) packets.push(e.data as Packet)
    for (const slot of this.slots) for (const e of slot.parked) if (e.kind === DELIVER) packets.push(e.data as Packet)
    packets.sort((a, b) => a.id - b.id)
    const name = this.host.nameOf
    return packets.map((p) => ({ id: p.id, from: name(p.from), to: name(p.to), mtype: p.mtype, due: p.dueUs }))
  }

  private duplicate(p: Packet, delayUs: Micros): void {
    const dueUs = this.host.now() + delayUs
    const copy: Packet = { ...p, id: this.nextMessageId++, dueUs }
    this.stats.duplicated++
    this.host.push(dueUs, DELIVER, p.to, copy)
    if (!this.tracer.enabled) return
    const name = this.host.nameOf
    this.tracer.emit({ i: 0, t: this.host.now(), type: 'duplicate', id: p.id, copy: copy.id, from: name(p.from), to: name(p.to), due: dueUs })
  }

  private sendThenDrop(p: Packet, reason: DropReason): void {
    this.traceSend(p, -1)
    this.drop(p, reason)
  }

  private traceSend(p: Packet, dueUs: Micros): void {
    if (!this.tracer.enabled) return
    const name = this.host.nameOf
    this.tracer.emit({ i: 0, t: this.host.now(), type: 'send', id: p.id, from: name(p.from), to: name(p.to), mtype: p.mtype, msg: p.msg, due: dueUs })
  }

  private messageBytes(kind: PacketKind, msg: unknown): number {
    const bytesOf = this.protocol.messageBytes
    if (kind === 'node' && bytesOf) return bytesOf(msg)
    return JSON.stringify(msg)?.length ?? 0
  }
}
