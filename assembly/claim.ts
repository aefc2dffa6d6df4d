// Dynamic work sharing: every task of a run takes block numbers 0, 1, 2, … from one counter in the
// pool's control block (reset before each run), so a thread that is descheduled does less, not later.
import { PoolControl } from "../src/tensor/kernel-abi";

const CLAIM: usize = <usize>PoolControl.Base + <usize>PoolControl.ClaimSlot * 4;

/** The next unclaimed block number of this run. */
// @ts-ignore: decorator
@inline
export function claim(): i32 {
  if (ASC_FEATURE_THREADS) return atomic.add<i32>(CLAIM, 1);
  // one thread (the unshared build): no other task can race
  const v = load<i32>(CLAIM);
  store<i32>(CLAIM, v + 1);
  return v;
}
