// Subscription tiers (§2). "Premium" means premium or lifetime and not expired.

export const SubscriptionTier = {
  basic: 0,
  trial: 1,
  premium: 2,
  lifetime: 3,
} as const;

export type SubscriptionTierName = keyof typeof SubscriptionTier;

export const subscriptionTierNames = Object.keys(SubscriptionTier) as [SubscriptionTierName, ...SubscriptionTierName[]];

export interface Subscription {
  subscriptionTier: number;
  subscriptionExpiresAt: Date | null;
}

export function isPremium(user: Subscription, now: Date): boolean {
  const paid = user.subscriptionTier === SubscriptionTier.premium || user.subscriptionTier === SubscriptionTier.lifetime;
  return paid && (user.subscriptionExpiresAt === null || user.subscriptionExpiresAt > now);
}
