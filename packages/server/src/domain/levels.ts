// Permission levels and the hierarchy rule of the contract (§2).

export const PermissionLevel = {
  user: 0,
  moderator: 1,
  admin: 2,
  owner: 3,
} as const;

export type PermissionLevelName = keyof typeof PermissionLevel;
export type PermissionLevelValue = (typeof PermissionLevel)[PermissionLevelName];

export const permissionLevelNames = Object.keys(PermissionLevel) as [PermissionLevelName, ...PermissionLevelName[]];

export function levelName(level: number): PermissionLevelName {
  const name = permissionLevelNames.find((candidate) => PermissionLevel[candidate] === level);
  if (!name) throw new RangeError(`Unknown permission level ${level}`);
  return name;
}

/** "Owner permission required": the 403 message for a route gated at `level`. */
export function permissionRequiredMessage(level: number): string {
  const name = levelName(level);
  return `${name[0]!.toUpperCase()}${name.slice(1)} permission required`;
}

/** An actor can act on a strictly lower level; Owners can also act on other Owners. */
export function canActOn(actorLevel: number, targetLevel: number): boolean {
  return actorLevel > targetLevel || (actorLevel === PermissionLevel.owner && targetLevel === PermissionLevel.owner);
}
