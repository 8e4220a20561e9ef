// T.30 timers and retry limits (T.30 clause 5 and Annex A), with the spec values as defaults.

export interface T30Timers {
  /** Both stations try to identify each other: 35 s ± 5 s. */
  readonly T1: number;
  /** Waiting for a command or for phase C to start: 6 s ± 1 s. */
  readonly T2: number;
  /**
   * Waiting for a response before repeating a command: 3 s ± 15 % for automatic units. The 4.5 s T.30 allows is for
   * manually operated units only, so it does not apply here.
   */
  readonly T4: number;
  /** ECM flow control: how long a sender keeps asking RR while the receiver answers RNR: 60 s ± 5 s. */
  readonly T5: number;
}

export const T30_TIMERS: T30Timers = { T1: 35_000, T2: 6_000, T4: 3_000, T5: 60_000 };

export interface T30Limits {
  /** Tries of a command before giving up (T.30: three). */
  readonly commandTries: number;
  /** Transmissions of one page answered RTN before the sender gives up on it. */
  readonly pageTries: number;
  /** Retrains (RTP, RTN) in one call before giving up. */
  readonly retrains: number;
  /** PPRs for one block before CTC or EOR (T.30 Annex A: four). */
  readonly pprsBeforeCtc: number;
  /** CTC rounds for one block before the sender gives up with EOR. */
  readonly ctcPerBlock: number;
}

export const T30_LIMITS: T30Limits = { commandTries: 3, pageTries: 3, retrains: 8, pprsBeforeCtc: 4, ctcPerBlock: 2 };

export type TimerName = keyof T30Timers;
