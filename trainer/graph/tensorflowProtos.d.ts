// Types for the slice of tfjs-node's generated TensorFlow protobuf classes (dist/proto/api_pb.js,
// built by google-protobuf from TensorFlow's own .proto files) that graphBuilder.ts uses.
declare module '@tensorflow/tfjs-node/dist/proto/api_pb' {
  class Message {
    serializeBinary(): Uint8Array;
  }
  export class TensorShape extends Message {
    addDim(dim: TensorShape.Dim): void;
  }
  export namespace TensorShape {
    class Dim extends Message {
      setSize(size: number): void;
    }
  }
  export class Tensor extends Message {
    setDtype(dtype: number): void;
    setTensorShape(shape: TensorShape): void;
    setIntValList(values: number[]): void;
    setFloatValList(values: number[]): void;
    setTensorContent(bytes: Uint8Array): void;
  }
  export class TensorInfo extends Message {
    setName(name: string): void;
    setDtype(dtype: number): void;
    setTensorShape(shape: TensorShape): void;
  }
  interface ProtoMap<V> {
    set(key: string, value: V): void;
  }
  export class SignatureDef extends Message {
    getInputsMap(): ProtoMap<TensorInfo>;
    getOutputsMap(): ProtoMap<TensorInfo>;
    setMethodName(name: string): void;
  }
  export class AttrValue extends Message {
    setList(list: AttrValue.ListValue): void;
    setS(value: Uint8Array | string): void;
    setI(value: number): void;
    setF(value: number): void;
    setB(value: boolean): void;
    setType(value: number): void;
    setShape(value: TensorShape): void;
    setTensor(value: Tensor): void;
  }
  export namespace AttrValue {
    class ListValue extends Message {
      setIList(values: number[]): void;
    }
  }
  export class NodeDef extends Message {
    getName(): string;
    getInputList(): string[];
    setName(name: string): void;
    setOp(op: string): void;
    setInputList(inputs: string[]): void;
    getAttrMap(): ProtoMap<AttrValue>;
  }
  export class VersionDef extends Message {
    setProducer(version: number): void;
  }
  export class GraphDef extends Message {
    /** Parses bytes; fields this generated code does not know (NodeDef.experimental_type, …) are dropped. */
    static deserializeBinary(bytes: Uint8Array): GraphDef;
    getNodeList(): NodeDef[];
    addNode(node: NodeDef): void;
    setVersions(versions: VersionDef): void;
  }
  export class MetaGraphDef extends Message {
    setMetaInfoDef(info: MetaGraphDef.MetaInfoDef): void;
    setGraphDef(graph: GraphDef): void;
    getSignatureDefMap(): ProtoMap<SignatureDef>;
  }
  export namespace MetaGraphDef {
    class MetaInfoDef extends Message {
      addTags(tag: string): void;
    }
  }
  export class SavedModel extends Message {
    setSavedModelSchemaVersion(version: number): void;
    addMetaGraphs(graph: MetaGraphDef): void;
  }
}
