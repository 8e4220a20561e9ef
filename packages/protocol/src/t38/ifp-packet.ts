// The T.38 IFP packet (T.38 §A.1 ASN.1, aligned PER): indicators and T.30/T.4 data fields, versions 0 to 3.
import { DecodeError } from '../bits/decode-error.js';
import { PerReader, PerWriter } from '../bits/per.js';

/** t30-indicator values in ASN.1 order; values from 'v8-ansam' (16) on exist only in the 2002 (version >= 1) syntax. */
export const T30_INDICATORS = [
  'no-signal',
  'cng',
  'ced',
  'v21-preamble',
  'v27-2400-training',
  'v27-4800-training',
  'v29-7200-training',
  'v29-9600-training',
  'v17-7200-short-training',
  'v17-7200-long-training',
  'v17-9600-short-training',
  'v17-9600-long-training',
  'v17-12000-short-training',
  'v17-12000-long-training',
  'v17-14400-short-training',
  'v17-14400-long-training',
  'v8-ansam',
  'v8-signal',
  'v34-cntl-channel-1200',
  'v34-pri-channel',
  'v34-CC-retrain',
  'v33-12000-training',
  'v33-14400-training',
] as const;
export type T30Indicator = (typeof T30_INDICATORS)[number];

/** t30-data values in ASN.1 order; values from 'v8' (9) on exist only in the 2002 syntax. */
export const T30_DATA_TYPES = [
  'v21',
  'v27-2400',
  'v27-4800',
  'v29-7200',
  'v29-9600',
  'v17-7200',
  'v17-9600',
  'v17-12000',
  'v17-14400',
  'v8',
  'v34-pri-rate',
  'v34-CC-1200',
  'v34-pri-ch',
  'v33-12000',
  'v33-14400',
] as const;
export type T30DataType = (typeof T30_DATA_TYPES)[number];

/** field-type values in ASN.1 order; values from 'cm-message' (8) on exist only in the 2002 syntax. */
export const IFP_FIELD_TYPES = [
  'hdlc-data',
  'hdlc-sig-end',
  'hdlc-fcs-OK',
  'hdlc-fcs-BAD',
  'hdlc-fcs-OK-sig-end',
  'hdlc-fcs-BAD-sig-end',
  't4-non-ecm-data',
  't4-non-ecm-sig-end',
  'cm-message',
  'jm-message',
  'ci-message',
  'v34rate',
] as const;
export type IfpFieldType = (typeof IFP_FIELD_TYPES)[number];

/** One data-field element; `data` is absent when the field carries no octets (field-data is SIZE(1..65535)). */
export interface IfpField {
  fieldType: IfpFieldType;
  data?: Uint8Array;
}

export type IfpPacket =
  | { type: 't30-indicator'; indicator: T30Indicator }
  | { type: 't30-data'; dataType: T30DataType; fields: IfpField[] };

/** `version` is the negotiated T38FaxVersion (0–3); it only changes how field types are laid out. */
export interface IfpOptions {
  version?: number;
}

/** Indicators, data types and field types at or past these indices need the extension bit of the 2002 syntax. */
const FIRST_EXTENDED_INDICATOR = 16;
const FIRST_EXTENDED_DATA_TYPE = 9;
const FIRST_EXTENDED_FIELD_TYPE = 8;
const MAX_FIELD_DATA = 65535;

function checkedVersion(options: IfpOptions | undefined): number {
  const version = options?.version ?? 0;
  if (!Number.isInteger(version) || version < 0 || version > 3)
    throw new RangeError(`T.38 version ${version} is not 0..3`);
  return version;
}

export function encodeIfpPacket(packet: IfpPacket, options?: IfpOptions): Uint8Array {
  const version = checkedVersion(options);
  const out = new PerWriter();
  if (packet.type === 't30-indicator') {
    writeChoiceValue(out, 0x00, T30_INDICATORS.indexOf(packet.indicator), FIRST_EXTENDED_INDICATOR, version);
    return out.finish();
  }
  const present = packet.fields.length > 0 ? 0x80 : 0x00;
  writeChoiceValue(out, present | 0x40, T30_DATA_TYPES.indexOf(packet.dataType), FIRST_EXTENDED_DATA_TYPE, version);
  if (present) {
    out.lengthDeterminant(packet.fields.length);
    if (version === 0) writeFieldsVersion0(out, packet.fields);
    else for (const field of packet.fields) writeFieldVersion1(out, field);
  }
  return out.finish();
}

/**
 * The first octet holds data-field-present, the CHOICE bit, the enumeration's extension bit and a 4-bit root value.
 * An extension value is a normally-small number: a 0 bit then 6 bits, spilling into a second octet.
 */
function writeChoiceValue(out: PerWriter, lead: number, value: number, firstExtended: number, version: number): void {
  if (value < 0) throw new RangeError('unknown IFP indicator or data type');
  if (value < firstExtended) {
    out.octet(lead | (value << 1));
    return;
  }
  if (version === 0) throw new RangeError('extended IFP indicators and data types need T.38 version 1 or later');
  const extension = value - firstExtended;
  out.octet(lead | 0x20 | (extension >> 2));
  out.octet((extension & 0x03) << 6);
}

/**
 * The 1998 syntax has no extension marker on field-type, so a field is 1 presence bit + 3 type bits: a field without
 * data fills only half an octet and the next field starts in the other half (field-data's length is octet-aligned).
 * SpanDSP's encoder gives every field a whole octet instead, which agrees with this whenever a data-less field is the
 * last one (all it sends); its decoder reads the packed form.
 */
function writeFieldsVersion0(out: PerWriter, fields: IfpField[]): void {
  let halfFilled = false;
  for (const field of fields) {
    const type = IFP_FIELD_TYPES.indexOf(field.fieldType);
    if (type < 0 || type >= FIRST_EXTENDED_FIELD_TYPE) {
      throw new RangeError(`field type ${field.fieldType} needs T.38 version 1 or later`);
    }
    const present = field.data !== undefined;
    const nibble = (present ? 0x8 : 0) | type;
    if (halfFilled) out.octets[out.octets.length - 1] |= nibble;
    else out.octet(nibble << 4);
    halfFilled = !halfFilled && !present;
    if (present) writeFieldData(out, field.data as Uint8Array);
  }
}

/**
 * The 2002 syntax adds an extension bit after the presence bit. SpanDSP starts every field on a fresh octet and puts an
 * extended type's 6-bit offset in the low 4 bits of the first octet and the top 2 of the next; we match SpanDSP.
 */
function writeFieldVersion1(out: PerWriter, field: IfpField): void {
  const type = IFP_FIELD_TYPES.indexOf(field.fieldType);
  if (type < 0) throw new RangeError(`unknown IFP field type ${field.fieldType}`);
  const present = field.data !== undefined ? 0x80 : 0x00;
  if (type < FIRST_EXTENDED_FIELD_TYPE) out.octet(present | (type << 3));
  else {
    const extension = type - FIRST_EXTENDED_FIELD_TYPE;
    out.octet(present | 0x40 | (extension >> 2));
    out.octet((extension & 0x03) << 6);
  }
  if (field.data !== undefined) writeFieldData(out, field.data);
}

/** field-data is OCTET STRING (SIZE (1..65535)): its length is a 16-bit constrained number, sent as length − 1. */
function writeFieldData(out: PerWriter, data: Uint8Array): void {
  if (data.length < 1 || data.length > MAX_FIELD_DATA) throw new RangeError(`field data of ${data.length} octets`);
  out.octet((data.length - 1) >> 8);
  out.octet(data.length - 1);
  out.bytes(data);
}

export function decodeIfpPacket(bytes: Uint8Array, options?: IfpOptions): IfpPacket {
  const version = checkedVersion(options);
  const reader = new PerReader(bytes);
  const first = reader.octet('IFP type-of-msg');
  const dataFieldPresent = (first & 0x80) !== 0;
  if ((first & 0x40) === 0) {
    if (dataFieldPresent) throw new DecodeError('t30-indicator with a data-field', 0);
    const index = readChoiceValue(reader, first, FIRST_EXTENDED_INDICATOR, T30_INDICATORS.length);
    reader.expectEnd('IFP indicator');
    return { type: 't30-indicator', indicator: T30_INDICATORS[index] as T30Indicator };
  }
  const dataType = T30_DATA_TYPES[readChoiceValue(reader, first, FIRST_EXTENDED_DATA_TYPE, T30_DATA_TYPES.length)];
  const fields: IfpField[] = [];
  if (dataFieldPresent) {
    const count = reader.lengthDeterminant('IFP field count');
    if (version === 0) readFieldsVersion0(reader, count, fields);
    else for (let i = 0; i < count; i++) fields.push(readFieldVersion1(reader));
  }
  reader.expectEnd('IFP packet');
  return { type: 't30-data', dataType: dataType as T30DataType, fields };
}

/** SpanDSP accepts extended indicators and data types whatever the version, and so do we. */
function readChoiceValue(reader: PerReader, first: number, firstExtended: number, count: number): number {
  if ((first & 0x20) === 0) {
    const value = (first >> 1) & 0x0f;
    if (value >= count) throw new DecodeError(`IFP value ${value} is not defined`, 0);
    return value;
  }
  if (first & 0x10) throw new DecodeError('IFP extension value is not a small number', 0);
  const value = firstExtended + (((first & 0x0f) << 2) | (reader.octet('IFP extension value') >> 6));
  if (value >= count) throw new DecodeError(`IFP extension value ${value} is not defined`, 1);
  return value;
}

function readFieldsVersion0(reader: PerReader, count: number, fields: IfpField[]): void {
  let halfOctet: number | undefined;
  for (let i = 0; i < count; i++) {
    let nibble: number;
    if (halfOctet === undefined) {
      const octet = reader.octet('IFP field');
      nibble = octet >> 4;
      halfOctet = nibble & 0x8 ? undefined : octet & 0x0f;
    } else {
      nibble = halfOctet;
      halfOctet = undefined;
    }
    const fieldType = IFP_FIELD_TYPES[nibble & 0x07] as IfpFieldType;
    fields.push(nibble & 0x8 ? { fieldType, data: readFieldData(reader) } : { fieldType });
  }
}

function readFieldVersion1(reader: PerReader): IfpField {
  const start = reader.offset;
  const octet = reader.octet('IFP field');
  let type: number;
  if (octet & 0x40) {
    type = FIRST_EXTENDED_FIELD_TYPE + (((octet & 0x0f) << 2) | (reader.octet('IFP field type') >> 6));
    if (type >= IFP_FIELD_TYPES.length) throw new DecodeError(`IFP field type ${type} is not defined`, start);
  } else type = (octet >> 3) & 0x07;
  const fieldType = IFP_FIELD_TYPES[type] as IfpFieldType;
  return octet & 0x80 ? { fieldType, data: readFieldData(reader) } : { fieldType };
}

function readFieldData(reader: PerReader): Uint8Array {
  const length = ((reader.octet('IFP field length') << 8) | reader.octet('IFP field length')) + 1;
  return reader.octets(length, 'IFP field data');
}
