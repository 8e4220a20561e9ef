/**
 * The last `length` complex samples, each written twice so the whole line is one straight run (`re`/`im` from
 * `start`, oldest first): dot products over it need no modulo (audio-fax reference §7.3).
 */
export class ComplexDelayLine {
  readonly re: Float64Array;
  readonly im: Float64Array;
  /** Where the oldest sample of the straight run is. */
  start = 0;

  constructor(readonly length: number) {
    this.re = new Float64Array(2 * length);
    this.im = new Float64Array(2 * length);
  }

  push(re: number, im: number): void {
    const at = this.start;
    this.re[at] = this.re[at + this.length] = re;
    this.im[at] = this.im[at + this.length] = im;
    this.start = at + 1 === this.length ? 0 : at + 1;
  }

  clear(): void {
    this.re.fill(0);
    this.im.fill(0);
  }
}
