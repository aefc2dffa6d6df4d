// flowlab's public API: conditional flow matching with classifier-free guidance, platform-neutral.
// Start the engine with "flowlab/node" or "flowlab/browser"; everything else is here.

// The engine and tensors
export { Tensor, type Shape, type DType } from "./tensor/tensor.js";
export { shutdownEngine, engineInfo, type EngineOptions, type EngineInfo, type KernelSet } from "./tensor/engine.js";
export { tidy, disposeAll } from "./tensor/scope.js";
export { noGrad, withGrad, variable } from "./tensor/tape.js";
export { grad, valueAndGrad } from "./tensor/grad.js";
export { Rng, type RngState } from "./tensor/random.js";
export { ShapeError } from "./tensor/errors.js";
export { tensor, intTensor, zeros, ones, full, randn, rand } from "./tensor/ops/create.js";
export * as ops from "./tensor/ops/public.js";

// The model
export { initUNet, unetForward, type UNet, type UNetP, type FewStepInputs } from "./nn/unet.js";
export { LAB_UNET, IMAGE, imageShape, type UNetConfig, type FewStepConfig } from "./nn/config.js";
export type { CondEmbedderP } from "./nn/cond-embed.js";
export { inferUNetConfig, unetFromStateDict, stateDict, loadStateDict, CheckpointMismatchError, type StateDict } from "./nn/state-dict.js";
export type { Mode } from "./nn/layers.js";

// Flow: schedules, the Gaussian path, guidance
export { SCHEDULES, linearSchedule, cosineSchedule, sqrtSchedule, makeSchedule, type Schedule, type ScheduleName } from "./flow/schedules.js";
export { GaussianConditionalPath, type Conditioning, type DataSampler } from "./flow/path.js";
export { guidedField, type GuidanceOptions } from "./flow/guidance.js";
export { CFG, GUIDANCE_DEFAULTS, GUIDANCE_NAMES, guidanceByName, type GuidanceName, combineGuidance, needsGuiding, validateGuidance, guidanceLabel, type GuidanceMethod, type ConditionalField } from "./flow/guidance-methods.js";

// Solvers
export { euler, midpoint, heun, rk4, eulerMaruyama, ODE_SOLVERS, ODE_SOLVER_NAMES, isOdeSolverName, unknownSolverMessage, type OdeSolverName } from "./solvers/steppers.js";
export { simulate, simulateWithTrajectory, simulateSteps, timeGrid, countNfe, type SimulateOptions, type StepDone, type Simulated } from "./solvers/simulate.js";
export type { ODE, SDE, Stepper } from "./solvers/types.js";

// Sampling
export { generate, generateAsync, guidedOde, labelsFor, resolveGenerate, GENERATE_DEFAULTS, DEFAULT_GUIDANCE, type GenerateOptions, type ResolvedGenerateOptions, type Generated, type StepInfo } from "./sample/generate.js";
export { fewStepStepper, validateFewStep, fewStepOf, type FewStepStepper } from "./sample/few-step.js";

// Training and checkpoints
export { CfgTrainer, validateTrainConfig } from "./train/trainer.js";
export { ModelTrainer, NonFiniteLossError, type StepResult } from "./train/model-trainer.js";
export { PRESETS, preset, type TrainConfig, type PresetName } from "./train/presets.js";
export { parseSchedule as parseLrSchedule, lrAt, CONSTANT as CONSTANT_LR, type LrSchedule } from "./train/schedule.js";
export { adam, ADAM_DEFAULTS, type AdamOptions, type AdamState, type Optimizer } from "./train/adam.js";
export { flowMatchingLoss } from "./train/loss.js";
export { DistillTrainer, studentFromTeacher, studentConfig, validateDistillConfig, isDistillRecord } from "./train/distill.js";
export { DISTILL_DEFAULTS, type DistillConfig, type DistillMethod } from "./train/distill-config.js";
export { teacherGuided, teacherTrajectory } from "./train/distill-targets.js";
export { encodeCheckpoint, decodeCheckpoint, loadModel, samplingNet, CKPT_FORMAT, type TrainState, type TrainingRecord } from "./train/checkpoint.js";

// Data
export { makeDataset, datasetFromArrays, type ImageDataset, type DatasetShape } from "./data/dataset.js";
export { prepareImage, parseBackground, PREPARE_DEFAULTS, type PrepareOptions, type PreparedImage, type Rgb } from "./data/prepare.js";
export { parseDataSpec, type DataSpec } from "./data/spec.js";
export type { ImageDecoder, ImageFormat, ImageHeader, RgbaImage } from "./data/image.js";
export type { IdxImages } from "./data/idx.js";
export { resizeBilinearU8 } from "./data/resize.js";

// The judge and the metrics
export { judge, trainJudge, accuracy, encodeJudge, decodeJudge, JUDGE_TRAIN_DEFAULTS, type Judged, type JudgeTrainOptions } from "./judge/judge.js";
export { initClassifier, classify, JUDGE_CONFIG, type Classifier, type ClassifierConfig } from "./nn/classifier.js";
export { score, meanPairwiseL2, type Report, type ClassReport, type RealImages } from "./eval/metrics.js";
export { judgeReport, judgeSamples, type JudgeSetup, type Judging } from "./eval/judging.js";

// The studies (runs, verdicts, pages); the training study, which reads a run folder, is in flowlab/node
export { sampleAndJudge, StudyError, STUDY_CLASSES, type StudyHooks, type RunProgress, type JudgedRun } from "./studies/runner.js";
export { evalRows, sweepRuns, isEvalRow, type EvalRow, type EvalRun, type EvalSampling } from "./studies/eval-rows.js";
export { guidanceStudyRuns, guidanceVerdict, verdictMarkdown, withSharedW1, isGuidanceStudy, CERTAINTY, GUIDANCE_STUDY_W } from "./studies/guidance.js";
export { solverStudyRuns, SOLVER_STUDY } from "./studies/solvers.js";
export { evalTables, evalTitle, studyOfRows, judgeNote, realImagesText, type EvalStudy } from "./studies/eval-markdown.js";
export { runFewStepStudy, isFewStepStudyFile, FEW_STEP_STUDY, FEW_STEP_TARGETS, type FewStepStudyOptions, type FewStepStudyFile, type FewStepRow, type FewStepModelInfo, type RelativeName } from "./studies/few-step.js";
export { fewStepMarkdown, targetsMarkdown } from "./studies/few-step-markdown.js";
export { frechet, meanCov } from "./eval/linalg.js";
export { proportion, meanEstimate, normalEstimate, bootstrap, withinNoise, formatEstimate, type Estimate } from "./eval/estimate.js";
export { evaluateViews, viewContext, VIEW_DEFAULTS, type Views, type ViewContext, type ViewOptions } from "./eval/views.js";
export { VIEW_METRICS, compare, NOISE_Z, type ViewMetric, type Comparison } from "./eval/view-metrics.js";
export { viewsMarkdown, type ViewsRow } from "./eval/views-table.js";
export { kid, kidRealSide, type KidRealSide } from "./eval/kid.js";
export { textureFeatures, TEXTURE_FEATURES, TEXTURE_NET } from "./eval/texture-features.js";
export { backgroundStats, backgroundPerImage, type BackgroundStats } from "./eval/background.js";
export { fidelityVariety, fvRealSide, FV_K, type FidelityVariety, type FvRealSide } from "./eval/fidelity-variety.js";
export { memorisation, memorisationRealSide, nearestTrainDistance, type Memorisation, type MemorisationRealSide } from "./eval/memorisation.js";
export { DEGRADATIONS, type Degradation, type DegradeContext, type ImageSet } from "./eval/degradations.js";
export { runCalibration, MUST_SEE, CONTROL, CALIBRATION_DEFAULTS, type Calibration, type CalibrationRow, type CalibrationOptions, type Verdict } from "./eval/calibrate.js";
export { calibrationMarkdown } from "./eval/calibration-report.js";
export { logLikelihood, velocityAndDivergence, bitsPerDim, dequantize, rademacher, type VelocityField, type DivergenceMethod, type LikelihoodOptions, type Likelihood } from "./eval/likelihood.js";

// File formats
export { parseSafetensors, serializeSafetensors, SafetensorsError, type StFile, type StTensor, type StDType, type StArray } from "./io/safetensors.js";
export { encodeNpy, decodeNpy, NpyError, type NpyArray } from "./io/npy.js";

// Pictures
export { imageGrid, type Canvas, type ImageGridOptions } from "./viz/grid.js";
