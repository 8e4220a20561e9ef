// DecodeError: the one error type every decoder in the protocol package throws on malformed input.

/** Thrown by decoders when input bytes do not follow the format; `offset` is the byte position where decoding gave up. */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(`${message} (at byte ${offset})`);
    this.offset = offset;
  }
}
