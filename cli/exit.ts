/**
 * Exit codes, one meaning each, the same for every command:
 * 0 ok; 1 a violation or failed check; 2 bad usage or bad input; 70 an internal error of
 * faultline itself.
 */
export const EXIT_OK = 0
export const EXIT_FAILED = 1
export const EXIT_USAGE = 2
export const EXIT_INTERNAL = 70

/** Thrown by commands to end with a code after printing what they had to say. */
export class ExitError extends Error {
  constructor(readonly code: number, message = '') {
    super(message)
  }
}
