// Builds a TensorFlow GraphDef node by node and packs it as a SavedModel: the one form of graph
// that tfjs-node's binding can load (TF_LoadSessionFromSavedModel) and run (TF_SessionRun).
// The protobuf classes are the ones tfjs-node generates from TensorFlow's own .proto files.
import * as pb from '@tensorflow/tfjs-node/dist/proto/api_pb';

/** TensorFlow DataType enum values used here. */
export const DT_FLOAT = 1;
export const DT_INT32 = 3;

/** The GraphDef version of libtensorflow 2.15 (tf.version.GRAPH_DEF_VERSION). */
const GRAPH_DEF_VERSION = 1645;

/** The SavedModel tag this project's graphs are saved and loaded under. */
export const GRAPH_TAG = 'resnet_lab';

export type AttrValue =
  | { type: number }
  | { shape: readonly number[] }
  | { b: boolean }
  | { i: number }
  | { f: number }
  | { s: string }
  | { ints: readonly number[] }
  | { int32Tensor: readonly number[] }
  | { floatScalar: number }
  | { floatTensor: { shape: readonly number[]; data: Float32Array } };

/** A tensor a SavedModel's signature names: a graph output, its dtype and shape (-1: any size). */
export interface SignatureTensor {
  output: Output;
  dtype: number;
  shape: readonly number[];
}

/** A SignatureDef: named inputs and outputs, and the TensorFlow Serving method it serves. */
export interface Signature {
  inputs: Record<string, SignatureTensor>;
  outputs: Record<string, SignatureTensor>;
  methodName: string;
}

/**
 * A node's output as GraphDef inputs name it: "node" for output 0, "node:k" otherwise. "^node" in
 * an input list is a control input: run after node, take no value from it.
 */
export type Output = string;

/** The node an output or control input ("node", "node:k", "^node") belongs to. */
export function nodeOf(input: Output): string {
  const name = input.startsWith('^') ? input.slice(1) : input;
  const colon = name.lastIndexOf(':');
  return colon < 0 ? name : name.slice(0, colon);
}

function shapeProto(dims: readonly number[]): pb.TensorShape {
  const shape = new pb.TensorShape();
  for (const size of dims) {
    const dim = new pb.TensorShape.Dim();
    dim.setSize(size);
    shape.addDim(dim);
  }
  return shape;
}

function attrProto(value: AttrValue): pb.AttrValue {
  const attr = new pb.AttrValue();
  if ('type' in value) attr.setType(value.type);
  else if ('shape' in value) attr.setShape(shapeProto(value.shape));
  else if ('b' in value) attr.setB(value.b);
  else if ('i' in value) attr.setI(value.i);
  else if ('f' in value) attr.setF(value.f);
  else if ('s' in value) attr.setS(Buffer.from(value.s));
  else if ('ints' in value) {
    const list = new pb.AttrValue.ListValue();
    list.setIList([...value.ints]);
    attr.setList(list);
  } else {
    const tensor = new pb.Tensor();
    if ('int32Tensor' in value) {
      tensor.setDtype(DT_INT32);
      tensor.setTensorShape(shapeProto([value.int32Tensor.length]));
      tensor.setIntValList([...value.int32Tensor]);
    } else if ('floatScalar' in value) {
      tensor.setDtype(DT_FLOAT);
      tensor.setTensorShape(shapeProto([]));
      tensor.setFloatValList([value.floatScalar]);
    } else {
      tensor.setDtype(DT_FLOAT);
      tensor.setTensorShape(shapeProto(value.floatTensor.shape));
      // tensor_content is the values' raw little-endian bytes: compact, and no float list to box.
      const { data } = value.floatTensor;
      tensor.setTensorContent(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    }
    attr.setTensor(tensor);
  }
  return attr;
}

function tensorInfoProto(tensor: SignatureTensor): pb.TensorInfo {
  const info = new pb.TensorInfo();
  // A TensorInfo names a tensor, "node:index", not a node.
  info.setName(tensor.output.includes(':') ? tensor.output : `${tensor.output}:0`);
  info.setDtype(tensor.dtype);
  info.setTensorShape(shapeProto(tensor.shape));
  return info;
}

function signatureProto(signature: Signature): pb.SignatureDef {
  const def = new pb.SignatureDef();
  for (const [key, tensor] of Object.entries(signature.inputs)) def.getInputsMap().set(key, tensorInfoProto(tensor));
  for (const [key, tensor] of Object.entries(signature.outputs)) def.getOutputsMap().set(key, tensorInfoProto(tensor));
  def.setMethodName(signature.methodName);
  return def;
}

export class GraphBuilder {
  private readonly graph: pb.GraphDef;
  private readonly names = new Set<string>();
  private readonly consumers = new Map<Output, string[]>();

  /** An empty graph, or one that continues a serialised GraphDef (one that TensorFlow extended, say). */
  constructor(graphDef?: Uint8Array) {
    this.graph = graphDef ? pb.GraphDef.deserializeBinary(graphDef) : new pb.GraphDef();
    for (const node of this.graph.getNodeList()) {
      this.names.add(node.getName());
      for (const input of node.getInputList()) this.consumers.set(input, [...(this.consumers.get(input) ?? []), node.getName()]);
    }
  }

  /** Adds a node and returns its first output. Names must be unique. */
  node(name: string, op: string, inputs: readonly Output[], attrs: Record<string, AttrValue> = {}): Output {
    if (this.names.has(name)) throw new Error(`graph already has a node ${name}`);
    this.names.add(name);
    const node = new pb.NodeDef();
    node.setName(name);
    node.setOp(op);
    node.setInputList([...inputs]);
    const attrMap = node.getAttrMap();
    for (const [key, value] of Object.entries(attrs)) attrMap.set(key, attrProto(value));
    this.graph.addNode(node);
    for (const input of inputs) this.consumers.set(input, [...(this.consumers.get(input) ?? []), name]);
    return name;
  }

  /** The nodes that take `output` as a (data) input so far. */
  consumersOf(output: Output): readonly string[] {
    return this.consumers.get(output) ?? [];
  }

  placeholder(name: string, shape: readonly number[], dtype = DT_FLOAT): Output {
    return this.node(name, 'Placeholder', [], { dtype: { type: dtype }, shape: { shape } });
  }

  int32Const(name: string, values: readonly number[]): Output {
    return this.node(name, 'Const', [], { dtype: { type: DT_INT32 }, value: { int32Tensor: values } });
  }

  floatConst(name: string, value: number): Output {
    return this.node(name, 'Const', [], { dtype: { type: DT_FLOAT }, value: { floatScalar: value } });
  }

  /** A float32 constant holding `data` (row-major, shape `shape`). */
  floatTensorConst(name: string, shape: readonly number[], data: Float32Array): Output {
    return this.node(name, 'Const', [], { dtype: { type: DT_FLOAT }, value: { floatTensor: { shape, data } } });
  }

  /**
   * The nodes that `outputs` need to be computed: theirs and, transitively, their inputs' (data
   * and control). Names of nodes, not outputs.
   */
  ancestorsOf(outputs: readonly Output[]): Set<string> {
    const inputsOf = new Map(this.graph.getNodeList().map((node) => [node.getName(), node.getInputList()]));
    const found = new Set<string>();
    const pending = outputs.map(nodeOf);
    for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
      if (found.has(name)) continue;
      found.add(name);
      for (const input of inputsOf.get(name) ?? []) pending.push(nodeOf(input));
    }
    return found;
  }

  /** The bare GraphDef's bytes, with this TensorFlow's version stamped (TF_GraphImportGraphDef reads them). */
  toGraphDef(): Uint8Array {
    this.stampVersion();
    return this.graph.serializeBinary();
  }

  private stampVersion(): void {
    const versions = new pb.VersionDef();
    versions.setProducer(GRAPH_DEF_VERSION);
    this.graph.setVersions(versions);
  }

  /**
   * The graph as a SavedModel file's bytes (saved_model.pb), with no variables: tagged GRAPH_TAG
   * for this project's own sessions, or as given with signatures for other clients to load.
   */
  toSavedModel(tag = GRAPH_TAG, signatures: Record<string, Signature> = {}): Uint8Array {
    this.stampVersion();
    const info = new pb.MetaGraphDef.MetaInfoDef();
    info.addTags(tag);
    const meta = new pb.MetaGraphDef();
    meta.setMetaInfoDef(info);
    meta.setGraphDef(this.graph);
    const signatureMap = meta.getSignatureDefMap();
    for (const [key, signature] of Object.entries(signatures)) signatureMap.set(key, signatureProto(signature));
    const savedModel = new pb.SavedModel();
    savedModel.setSavedModelSchemaVersion(1);
    savedModel.addMetaGraphs(meta);
    return savedModel.serializeBinary();
  }
}
