// JSON Schemas of a port (FaxPortInfo with the call it carries) and of its FaxStatus, whose 19 properties come from
// the contract's table so the published schema cannot drift from it.

import {
  FAX_CALL_MEDIA,
  FAX_MODEM_NAMES,
  FAX_STATUS_FIELDS,
  FAX_STATUS_PROPERTIES,
  type FaxStatusProperty,
  type FaxStatusValidity,
  type FieldKind,
} from '@faxd/contract';
import { nullable, time } from './schemas.js';

export const faxPortInfo = {
  type: 'object',
  properties: {
    deviceId: { type: 'integer' },
    name: { type: 'string' },
    send: { type: 'boolean' },
    receive: { type: 'boolean' },
    rings: { type: 'integer' },
    priority: { type: 'integer' },
    tsid: { type: 'string' },
    csid: { type: 'string' },
    canModify: { type: 'boolean' },
    kind: { type: 'string' },
    call: {
      type: ['object', 'null'],
      description: 'The call the port carries now: its media and, from the DCS on, modem, rate and ECM; null when idle',
      additionalProperties: false,
      required: ['media', 'modem', 'bitRate', 'ecm'],
      properties: {
        media: { type: 'string', enum: [...FAX_CALL_MEDIA] },
        modem: { type: ['string', 'null'], enum: [...FAX_MODEM_NAMES, null] },
        bitRate: nullable('integer'),
        ecm: nullable('boolean'),
      },
    },
    nodeId: { type: 'string' },
  },
};

/** The JSON Schema of each contract field kind. */
const KIND_SCHEMAS: Readonly<Record<FieldKind, { readonly type: string; readonly format?: string }>> = {
  string: { type: 'string' },
  count: { type: 'integer' },
  integer: { type: 'integer' },
  boolean: { type: 'boolean' },
  time,
  object: { type: 'object' },
};

const VALIDITY_NOTES: Readonly<Record<Exclude<FaxStatusValidity, 'always'>, string>> = {
  sending: 'Valid while the port is sending; null otherwise.',
  receiving: 'Valid while the port is receiving; null otherwise.',
  job: 'Valid while the port is sending or receiving; null when idle.',
};

/** A FaxStatus property's schema from the contract's table: its type, and null with a note unless always valid. */
function faxStatusProperty(name: FaxStatusProperty): object {
  const { kind, validity } = FAX_STATUS_FIELDS[name];
  const schema = KIND_SCHEMAS[kind];
  if (validity === 'always') return schema;
  return { ...schema, type: [schema.type, 'null'], description: VALIDITY_NOTES[validity] };
}

export const faxStatus = {
  type: 'object',
  description: 'IFaxStatus: the 19 read-only properties of one port; null where not valid in its present activity.',
  properties: Object.fromEntries(FAX_STATUS_PROPERTIES.map((name) => [name, faxStatusProperty(name)])),
};
