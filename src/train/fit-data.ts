// The model's data-dependent architecture: classes, channels, image side and class names come from the
// data set (a preset's numClasses 10 is MNIST's), so one preset trains on MNIST or any image folder.
import type { UNetConfig } from "../nn/config.js";
import type { ImageDataset } from "../data/dataset.js";

/** `model` with the data's classes, channels (1 or 3), side and class names; lab defaults stay absent. */
export function fitModelToData(model: UNetConfig, ds: Pick<ImageDataset, "numClasses" | "channels" | "size" | "classNames">): UNetConfig {
  const { channelsIn: _i, channelsOut: _o, imageSize: _s, classNames: _n, ...rest } = model;
  return {
    ...rest,
    numClasses: ds.numClasses,
    ...(ds.channels !== 1 ? { channelsIn: ds.channels, channelsOut: ds.channels } : {}),
    ...(ds.size !== 32 ? { imageSize: ds.size } : {}),
    ...(ds.classNames ? { classNames: [...ds.classNames] } : {}),
  };
}

/** How a checkpoint's model differs from what the data now gives (empty when they agree). */
export function dataDrift(saved: UNetConfig, fitted: UNetConfig): string[] {
  const out: string[] = [];
  if (saved.numClasses !== fitted.numClasses) out.push(`${saved.numClasses} classes then, ${fitted.numClasses} now`);
  if ((saved.channelsIn ?? 1) !== (fitted.channelsIn ?? 1)) out.push(`${saved.channelsIn ?? 1} channel(s) then, ${fitted.channelsIn ?? 1} now`);
  if ((saved.imageSize ?? 32) !== (fitted.imageSize ?? 32)) out.push(`${saved.imageSize ?? 32} px then, ${fitted.imageSize ?? 32} px now`);
  if (saved.classNames && fitted.classNames && saved.classNames.join("\n") !== fitted.classNames.join("\n")) out.push(`classes ${saved.classNames.join(", ")} then, ${fitted.classNames.join(", ")} now`);
  return out;
}
