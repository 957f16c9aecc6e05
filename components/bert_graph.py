"""The ONNX graph of a BERT encoder, built from its checkpoint's weights.

The sentence model ships as weights only (a safetensors file from a package
pinned by hash). Writing its forward pass as a standard ONNX graph lets ONNX
Runtime run it: several times faster than TensorFlow for one short message
(about 2 ms instead of 8 on two cores), with the same vectors to within 1e-5
(tests/components/test_sentence_featurizer.py).
The graph is built in memory when the encoder loads, so there is no second
copy of the model on disk to go stale.
"""

from __future__ import annotations

from itertools import count

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17  # the first with LayerNormalization
INPUT_IDS = "input_ids"
POSITION_IDS = "position_ids"
ATTENTION_MASK = "attention_mask"
HIDDEN = "hidden"
MIDDLE = "middle"
MICROSOFT = "com.microsoft"  # ONNX Runtime's own operators
EPSILON = 1e-12


class _GraphWriter:
    """Appends nodes and constants, naming every intermediate result."""

    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.constants: list[onnx.TensorProto] = []
        self._names = count()

    def constant(self, name: str, value: np.ndarray) -> str:
        self.constants.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def op(self, kind: str, *inputs: str, domain: str = "", **attributes: object) -> str:
        output = f"{kind.lower()}_{next(self._names)}"
        self.nodes.append(helper.make_node(kind, list(inputs), [output], domain=domain, **attributes))
        return output


def bert_encoder_graph(weights: dict[str, np.ndarray], heads: int, layers: int, hidden_size: int) -> bytes:
    """A serialised ONNX model: (input_ids int64 [batch, length], position_ids int64 [batch, length],
    attention_mask int32 [batch, length, length]) -> hidden float [batch, length, hidden_size], the
    last layer's contextual vectors, and middle float [batch, length, (layers - 1) * hidden_size],
    the outputs of the inner layers 1 to layers - 1 side by side (layer 1 first), from the same run.

    The mask says which positions each position attends to and the position ids restart wherever
    a new text starts, so several texts can run packed in one row, each seeing only itself: one
    run instead of two for a message and its sentences (the vectors of separate runs, to within
    1e-6), as well as the usual padded batches.

    `weights` uses the Hugging Face BERT names without the "bert." prefix;
    dense weights are stored (out x in), as in the checkpoint. Each layer uses
    ONNX Runtime's fused CPU kernels (com.microsoft Attention,
    SkipLayerNormalization, BiasGelu), the ones its own transformer optimiser
    produces: 10 to 30% faster than the same layer in plain ONNX operators.
    """
    g = _GraphWriter()
    layer_outputs: list[str] = []

    def weight(name: str, transpose: bool = False) -> str:
        value = weights[name]
        return g.constant(name, np.ascontiguousarray(value.T) if transpose else value)

    def skip_layer_norm(x: str, skip: str, prefix: str, bias: str) -> str:
        return g.op("SkipLayerNormalization", x, skip, weight(prefix + ".weight"), weight(prefix + ".bias"), weight(bias), domain=MICROSOFT, epsilon=EPSILON)

    # Embeddings: word + position + token type 0, then layer norm.
    positions = g.op("Gather", weight("embeddings.position_embeddings.weight"), POSITION_IDS)
    x = g.op("Add", g.op("Gather", weight("embeddings.word_embeddings.weight"), INPUT_IDS), positions)
    x = g.op("Add", x, g.constant("token_type_0", weights["embeddings.token_type_embeddings.weight"][0]))
    x = g.op("LayerNormalization", x, weight("embeddings.LayerNorm.weight"), weight("embeddings.LayerNorm.bias"), axis=-1, epsilon=EPSILON)
    # Each position attends only where its row of the mask is 1 (not to padding, nor to another packed text).
    mask = ATTENTION_MASK

    for layer in range(layers):
        prefix = f"encoder.layer.{layer}."
        projections = [prefix + f"attention.self.{name}" for name in ("query", "key", "value")]
        qkv_weight = g.constant(prefix + "qkv.weight", np.ascontiguousarray(np.concatenate([weights[p + ".weight"].T for p in projections], axis=1)))
        qkv_bias = g.constant(prefix + "qkv.bias", np.concatenate([weights[p + ".bias"] for p in projections]))
        context = g.op("Attention", x, qkv_weight, qkv_bias, mask, domain=MICROSOFT, num_heads=heads)
        attended = g.op("MatMul", context, weight(prefix + "attention.output.dense.weight", transpose=True))
        x = skip_layer_norm(attended, x, prefix + "attention.output.LayerNorm", prefix + "attention.output.dense.bias")
        inner = g.op("MatMul", x, weight(prefix + "intermediate.dense.weight", transpose=True))
        activated = g.op("BiasGelu", inner, weight(prefix + "intermediate.dense.bias"), domain=MICROSOFT)
        output = g.op("MatMul", activated, weight(prefix + "output.dense.weight", transpose=True))
        x = skip_layer_norm(output, x, prefix + "output.LayerNorm", prefix + "output.dense.bias")
        if layer + 1 < layers:
            layer_outputs.append(x)

    g.nodes.append(helper.make_node("Identity", [x], [HIDDEN]))
    g.nodes.append(helper.make_node("Concat", layer_outputs, [MIDDLE], axis=-1) if layer_outputs else helper.make_node("Identity", [x], [MIDDLE]))
    graph = helper.make_graph(
        g.nodes,
        "bert_encoder",
        [
            helper.make_tensor_value_info(INPUT_IDS, TensorProto.INT64, ["batch", "length"]),
            helper.make_tensor_value_info(POSITION_IDS, TensorProto.INT64, ["batch", "length"]),
            helper.make_tensor_value_info(ATTENTION_MASK, TensorProto.INT32, ["batch", "length", "length"]),
        ],
        [
            helper.make_tensor_value_info(HIDDEN, TensorProto.FLOAT, ["batch", "length", hidden_size]),
            helper.make_tensor_value_info(MIDDLE, TensorProto.FLOAT, ["batch", "length", max(layers - 1, 1) * hidden_size]),
        ],
        g.constants,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid(MICROSOFT, 1)])
    onnx.checker.check_model(model)
    return model.SerializeToString()
