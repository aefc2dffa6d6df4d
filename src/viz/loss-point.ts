// A point of a training run's loss curve, in its own file so declarations that mention it (the training
// study's) need no chart library types.

/** A point of the run's loss curve: the smoothed loss after `seconds` of training. */
export interface LossPoint {
  seconds: number;
  loss: number;
}
