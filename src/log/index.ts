// The contact log's public face: RFC 9162 tree over stored nodes, C2SP checkpoints as signed notes, and `log verify`.
export { LogError } from './errors.js';
export {
  type Hash,
  type HashText,
  HASH_SIZE,
  SALT_SIZE,
  decodeHash,
  emptyTreeHash,
  encodeHash,
  leafData,
  leafHash,
  leafHashOfText,
  leafHashText,
  newSalt,
  nodeHash,
  recordLeafHash,
  sameHash,
  sameHashText,
} from './hash.js';
export {
  type NodeId,
  type NodeReader,
  type ProofPlan,
  type StoredNode,
  MemoryNodeStore,
  TreeBuilder,
  appendLeaves,
  combine,
  consistencyPlan,
  consistencyProof,
  inclusionPlan,
  inclusionProof,
  planNodes,
  rangeNodes,
  rootFromInclusionProof,
  rootHash,
  rootNodes,
  verifyConsistency,
  verifyInclusion,
} from './tree.js';
export { type NoteSignature, type OpenedNote, NoteSigner, NoteVerifier, encodeVerifierKey, isValidKeyName, keyHash, openNote } from './note.js';
export { type Checkpoint, formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint } from './checkpoint.js';
export { loadNoteSigner, loadOrCreateNoteSigner, saveNoteSigner } from './keyFile.js';
export { type LogEntry, type LogProblem, type LogVerification, type VerifyLogOptions, verifyLog } from './verify.js';
