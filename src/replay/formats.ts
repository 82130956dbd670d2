// The input layouts the replay reads, on their own so that the command line can list them without loading the readers.

/** The input layouts. */
export const replayFormats = ['npr', 'ddp', 'npr-aggregate'] as const;
/** A layout of detainer records the replay reads. */
export type ReplayFormat = (typeof replayFormats)[number];
