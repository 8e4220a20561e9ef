// Name lookups over the COM enumeration objects (faxcomex.h enums as `as const` records), for display and validation.

/** The union of a const enumeration object's values. */
export type EnumValue<T extends Readonly<Record<string, number>>> = T[keyof T];

/** The COM name of `value` in `enumeration` (`nameOf(FAX_JOB_TYPE_ENUM, 1)` is `'fjtRECEIVE'`), or undefined. */
export function nameOf<T extends Readonly<Record<string, number>>>(
  enumeration: T,
  value: number,
): (keyof T & string) | undefined {
  for (const [name, member] of Object.entries(enumeration)) {
    if (member === value) return name;
  }
  return undefined;
}

/** Whether `value` is one of the members of `enumeration`. */
export function isMemberOf<T extends Readonly<Record<string, number>>>(
  enumeration: T,
  value: unknown,
): value is EnumValue<T> {
  return typeof value === 'number' && nameOf(enumeration, value) !== undefined;
}

/**
 * The names of the non-zero bit members set in `mask`, in declaration order. Bits no member names are left out:
 * callers that must refuse them check `mask & ~maskOfAll(enumeration)`.
 */
export function flagNamesOf<T extends Readonly<Record<string, number>>>(
  enumeration: T,
  mask: number,
): (keyof T & string)[] {
  const names: (keyof T & string)[] = [];
  for (const [name, member] of Object.entries(enumeration)) {
    if (member !== 0 && (mask & member) === member) names.push(name);
  }
  return names;
}

/** Every bit that some member of a bit-mask enumeration sets. */
export function maskOfAll(enumeration: Readonly<Record<string, number>>): number {
  let mask = 0;
  for (const member of Object.values(enumeration)) mask |= member;
  return mask;
}
