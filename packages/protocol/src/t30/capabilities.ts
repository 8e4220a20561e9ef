// Choosing DCS from the local capabilities and the remote DIS, and the rate fall-back order (T.30 Table 2, Annex A).

import type { Dcs, Dis } from './frames/dis-dcs.js';
import type {
  CodingScheme,
  DcsFlag,
  Modem,
  PageLength,
  PageWidth,
  Resolution,
  ScanTime,
} from './frames/dis-dcs-bits.js';

export interface ModemRate {
  readonly modem: Modem;
  readonly bitRate: number;
}

/**
 * Fastest first; after a failed training check the sender steps down this list. Every V.17 rate comes before V.29
 * (SpanDSP instead tries V.29 9600 before V.17 7200; T.30 leaves the order to the sender).
 */
export const RATE_FALLBACK_ORDER: readonly ModemRate[] = [
  { modem: 'v17', bitRate: 14400 },
  { modem: 'v17', bitRate: 12000 },
  { modem: 'v17', bitRate: 9600 },
  { modem: 'v17', bitRate: 7200 },
  { modem: 'v29', bitRate: 9600 },
  { modem: 'v29', bitRate: 7200 },
  { modem: 'v27ter', bitRate: 4800 },
  { modem: 'v27ter', bitRate: 2400 },
];

const RESOLUTION_PREFERENCE: readonly Resolution[] = ['400', '300', 'superfine', 'fine', 'standard'];
const WIDTH_PREFERENCE: readonly PageWidth[] = ['a3', 'b4', 'a4'];
const LENGTH_ORDER: readonly PageLength[] = ['a4', 'b4', 'unlimited'];
/** T.85 is read from DIS but never selected: faxd has no JBIG coder. */
const COMPRESSION_PREFERENCE: readonly CodingScheme[] = ['mmr', 'mr', 'mh'];
const HALF_SCAN_TIME: Readonly<Record<ScanTime, ScanTime>> = { 40: 20, 20: 10, 10: 5, 5: 5, 0: 0 };

export type IncompatibleReason = 'remote-cannot-receive' | 'no-common-modem';

export interface Incompatible {
  readonly incompatible: IncompatibleReason;
}

function offers(dis: Dis, rate: ModemRate): boolean {
  return dis.modems.has(rate.modem) && dis.bitRates.has(rate.bitRate);
}

function firstCommon<T>(preference: readonly T[], a: ReadonlySet<T>, b: ReadonlySet<T>): T | undefined {
  return preference.find((item) => a.has(item) && b.has(item));
}

/**
 * The receiver's minimum scan-line time at the chosen resolution (T.30 Table 2 note on bits 21-23 and bit 46).
 * With ECM the time does not apply, since frames are buffered, and DCS says 0 ms.
 */
function scanTimeFor(remote: Dis, resolution: Resolution, ecm: boolean): ScanTime {
  if (ecm) return 0;
  let ms = remote.minScanLineTime;
  if (resolution !== 'standard' && remote.scanTimeHalvedAtFine) ms = HALF_SCAN_TIME[ms];
  if (resolution !== 'standard' && resolution !== 'fine' && remote.flags.has('superfineScanTimeHalved')) {
    ms = HALF_SCAN_TIME[ms];
  }
  return ms;
}

/**
 * The DCS a sender with capabilities `local` sends to a receiver that offered `remote`: the fastest common modem and
 * rate, the highest common resolution, the widest common width, the shorter length, ECM when both have it, and MMR
 * only together with ECM (T.30 Table 2 note: T.6 coding requires ECM).
 */
export function negotiate(local: Dis, remote: Dis): Dcs | Incompatible {
  if (!remote.flags.has('readyToReceive')) return { incompatible: 'remote-cannot-receive' };
  const rate = RATE_FALLBACK_ORDER.find((candidate) => offers(local, candidate) && offers(remote, candidate));
  if (!rate) return { incompatible: 'no-common-modem' };
  const ecm = local.ecm && remote.ecm;
  const resolution = firstCommon(RESOLUTION_PREFERENCE, local.resolutions, remote.resolutions) ?? 'standard';
  const compressions = COMPRESSION_PREFERENCE.filter((coding) => ecm || coding !== 'mmr');
  const flags = new Set<DcsFlag>(['receive']);
  // 300 x 300 and 400 x 400 dpi are inch-based resolutions, which DCS bit 44 announces.
  if (resolution === '300' || resolution === '400') flags.add('inchBased');
  return {
    modem: rate.modem,
    bitRate: rate.bitRate,
    resolution,
    width: firstCommon(WIDTH_PREFERENCE, local.widths, remote.widths) ?? 'a4',
    length: LENGTH_ORDER[Math.min(LENGTH_ORDER.indexOf(local.maxLength), LENGTH_ORDER.indexOf(remote.maxLength))],
    compression: firstCommon(compressions, local.compressions, remote.compressions) ?? 'mh',
    ecm,
    ecmFrameSize: ecm && (local.ecmFrameSize === 64 || remote.ecmFrameSize === 64) ? 64 : 256,
    minScanLineTime: scanTimeFor(remote, resolution, ecm),
    flags,
  };
}

/**
 * `dcs` moved to the next slower modem and rate in RATE_FALLBACK_ORDER that `remote` (and `local`, when given)
 * offers, or undefined when none is left: the sender's step after FTT (T.30 leaves the choice of rate to the sender).
 */
export function nextLowerRate(dcs: Dcs, remote: Dis, local?: Dis): Dcs | undefined {
  const current = RATE_FALLBACK_ORDER.findIndex((step) => step.modem === dcs.modem && step.bitRate === dcs.bitRate);
  if (current < 0) throw new Error(`${dcs.modem} at ${dcs.bitRate} bit/s is not in the fall-back order`);
  const next = RATE_FALLBACK_ORDER.slice(current + 1).find(
    (step) => offers(remote, step) && (local === undefined || offers(local, step)),
  );
  return next ? { ...dcs, modem: next.modem, bitRate: next.bitRate } : undefined;
}
