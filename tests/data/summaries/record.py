"""Record real framework summaries as fixtures for tests/test_summaries.py.

Not part of the package and not run by the tests. See README.md in this folder for the
environments and commands. Each run writes one JSON file:

    python record.py keras3    > keras3.json      # keras 3.15.1 + rich
    python record.py tf_keras  > tf_keras.json    # tf_keras 2.21.0
    python record.py torch     > torchinfo.json   # torch 2.13.0 + torchinfo 1.8.0
    python record.py classic tf_keras.json > keras2_classic.json   # keras 2.6.0, stub tf

The "result" of a case holds the facts the framework itself reports (names, shapes,
parameter counts, variables), in the shape of docs/reference/result.rst.
"""

from __future__ import annotations

import ast
import json
import math
import os
import sys
import types
from importlib import util as importlib_util
from pathlib import Path

KERAS_CASES: list[tuple[str, list[int], list[str], str | None]] = [
    (
        "tutorial-same",
        [5, 5, 1],
        ["Conv2D(filters=24, kernel_size=(2, 2), strides=(2, 2), padding='same')"],
        None,
    ),
    (
        "tutorial-valid",
        [5, 5, 1],
        ["Conv2D(filters=24, kernel_size=(2, 2), strides=(2, 2), padding='valid')"],
        None,
    ),
    (
        "tutorial-6x6",
        [6, 6, 1],
        ["Conv2D(filters=24, kernel_size=(2, 2), strides=(2, 2), padding='valid')"],
        None,
    ),
    (
        "long-name",
        [28, 28, 3],
        [
            "Conv2D(8, 3, padding='same', name='a_really_quite_long_layer_name_for_wrapping')",
            "Conv2D(16, 3, name='xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')",
            "MaxPooling2D(2, name='short')",
        ],
        None,
    ),
    (
        "name-with-spaces",
        [16, 16, 3],
        [
            "Conv2D(16, 3, name='mixed_name with spaces and_a_very_long_tail_part_here')",
            "Conv2D(16, 3, name='  leading and   inner  spaces')",
        ],
        None,
    ),
    (
        "long-shape",
        [64, 64, 64, 3],
        [
            "Conv3D(256, 3, padding='same')",
            "Conv3D(1024, 1)",
            "MaxPooling3D(2)",
        ],
        None,
    ),
    ("long-shape-1d", [100000, 7], ["Conv1D(123456, 1)"], None),
    (
        "many-layers",
        [32, 32, 3],
        [
            "ZeroPadding2D(1)",
            "Conv2D(32, 3, activation='relu')",
            "BatchNormalization()",
            "Conv2D(32, 3, padding='same')",
            "Activation('relu')",
            "MaxPooling2D(2)",
            "Dropout(0.25)",
            "DepthwiseConv2D(3, padding='same', depth_multiplier=2)",
            "SeparableConv2D(64, 3, padding='same')",
            "AveragePooling2D(2, strides=1)",
            "Cropping2D(((1, 0), (0, 1)))",
            "UpSampling2D(2)",
            "Conv2DTranspose(16, 3, strides=2, padding='same')",
            "Conv2D(8, 3, strides=2, dilation_rate=1)",
            "GlobalAveragePooling2D()",
            "Reshape((2, 4))",
            "Flatten()",
            "Dense(10, activation='softmax')",
        ],
        None,
    ),
    (
        "big-counts",
        [64, 64, 3],
        [
            "Conv2D(512, 5, padding='same')",
            "Conv2D(512, 5, padding='same')",
            "BatchNormalization()",
            "Flatten()",
            "Dense(16)",
        ],
        None,
    ),
    (
        "batchnorm-1d",
        [100, 4],
        [
            "Conv1D(64, 5, strides=2, padding='causal')",
            "BatchNormalization()",
            "GlobalMaxPooling1D()",
            "Dense(1)",
        ],
        None,
    ),
    ("named-model", [10, 10, 1], ["Conv2D(4, 3)"], "my_first_padding_model"),
    ("no-params", [8, 8, 2], ["MaxPooling2D(2)", "Flatten()"], None),
    ("frozen", [8, 8, 3], ["Conv2D(4, 3, trainable=False)", "Conv2D(4, 3)"], None),
]

TORCH_CASES: list[tuple[str, list[int], list[str]]] = [
    ("tutorial-same", [1, 5, 5], ["Conv2d(1, 24, kernel_size=2, stride=2, padding=(0, 0))"]),
    ("tutorial-valid", [1, 5, 5], ["Conv2d(1, 24, kernel_size=2, stride=2)"]),
    ("tutorial-6x6", [1, 6, 6], ["Conv2d(1, 24, kernel_size=2, stride=2)"]),
    (
        "same-padding",
        [3, 32, 32],
        ["Conv2d(3, 16, 3, padding='same')", "ReLU()", "MaxPool2d(2, ceil_mode=True)"],
    ),
    (
        "many-layers",
        [3, 32, 32],
        [
            "ZeroPad2d(1)",
            "Conv2d(3, 32, 3)",
            "BatchNorm2d(32)",
            "ReLU()",
            "Conv2d(32, 32, 3, padding=1, groups=32, bias=False)",
            "MaxPool2d(2)",
            "Dropout(0.25)",
            "AvgPool2d(2, stride=1)",
            "Upsample(scale_factor=2)",
            "ConvTranspose2d(32, 16, 3, stride=2, padding=1, output_padding=1)",
            "Conv2d(16, 8, 3, stride=2, dilation=2)",
            "AdaptiveAvgPool2d(1)",
            "Flatten()",
            "Linear(8, 10)",
        ],
    ),
    (
        "big-counts",
        [3, 224, 224],
        [
            "Conv2d(3, 512, 7, stride=2, padding=3)",
            "Conv2d(512, 512, 3, padding=1)",
            "BatchNorm2d(512)",
            "AdaptiveMaxPool2d(1)",
            "Flatten()",
            "Linear(512, 1000)",
        ],
    ),
    (
        "conv1d-3d",
        [4, 100],
        [
            "Conv1d(4, 8, 5, stride=2)",
            "BatchNorm1d(8)",
            "Conv1d(8, 8, 3, padding='same', padding_mode='reflect')",
        ],
    ),
    (
        "conv3d",
        [2, 16, 16, 16],
        ["Conv3d(2, 4, 3)", "MaxPool3d(2)", "ConvTranspose3d(4, 2, 2, stride=2)"],
    ),
    ("no-params", [2, 8, 8], ["MaxPool2d(2)", "Flatten()"]),
    ("frozen", [3, 8, 8], ["Conv2d(3, 4, 3)", "Conv2d(4, 4, 3)"]),
]

KERAS3_WIDTHS = [None, 20, 30, 40, 60, 76, 88, 100, 120]
TF_KERAS_WIDTHS = [None, 30, 40, 60, 76, 88, 100]


def parse_call(text: str) -> tuple[str, list, dict]:
    """Split 'Conv2D(8, 3, name="x")' into its class name and literal arguments."""
    node = ast.parse(text, mode="eval").body
    assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    value = ast.literal_eval
    return (
        node.func.id,
        [value(a) for a in node.args],
        {k.arg: value(k.value) for k in node.keywords},
    )


def versions(*names: str) -> dict[str, str]:
    from importlib.metadata import version

    info = {name: version(name) for name in names}
    info["python"] = sys.version.split()[0]
    return info


def none_list(shape) -> list:
    return [None if d is None else int(d) for d in shape]


def record_keras3() -> dict:
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import keras

    cases = []
    for case_id, input_shape, calls, model_name in KERAS_CASES:
        keras.backend.clear_session()
        layers = []
        for call in calls:
            cls, args, kwargs = parse_call(call)
            layers.append(getattr(keras.layers, cls)(*args, **kwargs))
        extra = {"name": model_name} if model_name else {}
        model = keras.Sequential([keras.Input(tuple(input_shape)), *layers], **extra)
        summaries = {}
        for width in KERAS3_WIDTHS:
            out: list[str] = []
            model.summary(
                line_length=width, print_fn=lambda text, line_break=True, out=out: out.append(text)
            )
            summaries["default" if width is None else str(width)] = "".join(out)
        os.environ["COLUMNS"] = "200"
        wide = {}
        for width in (None, 100, 120):
            out = []
            model.summary(
                line_length=width, print_fn=lambda text, line_break=True, out=out: out.append(text)
            )
            wide["default" if width is None else str(width)] = "".join(out)
        del os.environ["COLUMNS"]
        result = {
            "framework": "keras",
            "model_name": model.name,
            "input_shape": [None, *input_shape],
            "layers": [keras_layer(layer) for layer in model.layers],
            "total_params": model.count_params(),
            "trainable_params": sum(math.prod(w.shape) for w in model.trainable_weights),
            "non_trainable_params": sum(math.prod(w.shape) for w in model.non_trainable_weights),
        }
        cases.append(
            {
                "id": case_id,
                "input_shape": input_shape,
                "layers": calls,
                "model_name": model_name,
                "error": None,
                "result": result,
                "summaries": summaries,
                "summaries_columns_200": wide,
            }
        )
    from keras.src.utils.summary_utils import readable_memory_size

    sizes = [
        0,
        1,
        480,
        1023.99,
        1024,
        1048064,
        1048575,
        1048576,
        5 * 1024**3,
        3 * 1024**4 + 1,
        1024**5,
        7 * 1024**6,
    ]
    return {
        "versions": versions("keras", "rich", "tensorflow"),
        "command": "COLUMNS unset, stdout not a terminal (rich console width 80)",
        "readable_memory_size": {repr(s): readable_memory_size(s) for s in sizes},
        "cases": cases,
    }


def keras_layer(layer) -> dict:
    trainable_ids = {id(w) for w in layer.trainable_weights}
    weights = [
        {
            "name": w.name,
            "shape": list(w.shape),
            "count": math.prod(w.shape),
            "trainable": id(w) in trainable_ids,
        }
        for w in layer.weights
    ]
    trainable = sum(w["count"] for w in weights if w["trainable"])
    return {
        "name": layer.name,
        "class_name": type(layer).__name__,
        "input_shape": none_list(layer.input.shape),
        "output_shape": none_list(layer.output.shape),
        "params": layer.count_params(),
        "trainable_params": trainable,
        "non_trainable_params": layer.count_params() - trainable,
        "weights": weights,
    }


def record_tf_keras() -> dict:
    import tf_keras

    cases = []
    for case_id, input_shape, calls, model_name in KERAS_CASES:
        tf_keras.backend.clear_session()
        try:
            layers = []
            for call in calls:
                cls, args, kwargs = parse_call(call)
                layers.append(getattr(tf_keras.layers, cls)(*args, **kwargs))
            model = tf_keras.Sequential(
                [tf_keras.Input(tuple(input_shape)), *layers], name=model_name
            )
        except ValueError as error:
            cases.append(
                {
                    "id": case_id,
                    "input_shape": input_shape,
                    "layers": calls,
                    "model_name": model_name,
                    "error": str(error),
                    "result": None,
                    "summaries": {},
                }
            )
            continue
        summaries = {}
        for width in TF_KERAS_WIDTHS:
            out: list[str] = []
            model.summary(line_length=width, print_fn=out.append)
            summaries["default" if width is None else str(width)] = "".join(
                line + "\n" for line in out
            )
        result = {
            "framework": "keras",
            "model_name": model.name,
            "input_shape": [None, *input_shape],
            "layers": [tf_keras_layer(layer) for layer in model.layers],
            "total_params": model.count_params(),
            "trainable_params": sum(math.prod(w.shape) for w in model.trainable_weights),
            "non_trainable_params": sum(math.prod(w.shape) for w in model.non_trainable_weights),
        }
        cases.append(
            {
                "id": case_id,
                "input_shape": input_shape,
                "layers": calls,
                "model_name": model_name,
                "error": None,
                "result": result,
                "summaries": summaries,
            }
        )
    return {"versions": versions("tf_keras", "tensorflow"), "cases": cases}


def tf_keras_layer(layer) -> dict:
    trainable_ids = {id(w) for w in layer.trainable_weights}
    weights = [
        {
            "name": w.name.split("/")[-1].split(":")[0],
            "shape": list(w.shape),
            "count": math.prod(w.shape),
            "trainable": id(w) in trainable_ids,
        }
        for w in layer.weights
    ]
    trainable = sum(w["count"] for w in weights if w["trainable"])
    return {
        "name": layer.name,
        "class_name": type(layer).__name__,
        "input_shape": none_list(layer.input_shape),
        "output_shape": none_list(layer.output_shape),
        "params": layer.count_params(),
        "trainable_params": trainable,
        "non_trainable_params": layer.count_params() - trainable,
        "weights": weights,
    }


def record_torch() -> dict:
    import torchinfo
    from torch import nn

    cases = []
    for case_id, input_shape, calls in TORCH_CASES:
        modules = []
        for call in calls:
            cls, args, kwargs = parse_call(call)
            modules.append(getattr(nn, cls)(*args, **kwargs))
        model = nn.Sequential(*modules)
        if case_id == "frozen":
            for param in model[0].parameters():
                param.requires_grad = False
        shapes: dict[str, tuple[list, list]] = {}
        for name, module in model.named_children():
            module.register_forward_hook(
                lambda m, i, o, name=name, shapes=shapes: shapes.__setitem__(
                    name, (list(i[0].shape), list(o.shape))
                )
            )
        stats = torchinfo.summary(model, input_size=(1, *input_shape), verbose=0)
        layers = []
        for name, module in model.named_children():
            weights = [
                {
                    "name": n,
                    "shape": list(p.shape),
                    "count": p.numel(),
                    "trainable": p.requires_grad,
                }
                for n, p in module.named_parameters()
            ]
            params = sum(w["count"] for w in weights)
            trainable = sum(w["count"] for w in weights if w["trainable"])
            in_shape, out_shape = shapes[name]
            layers.append(
                {
                    "name": name,
                    "class_name": type(module).__name__,
                    "input_shape": [None, *in_shape[1:]],
                    "output_shape": [None, *out_shape[1:]],
                    "params": params,
                    "trainable_params": trainable,
                    "non_trainable_params": params - trainable,
                    "weights": weights,
                }
            )
        result = {
            "framework": "pytorch",
            "model_name": "Sequential",
            "input_shape": [None, *input_shape],
            "layers": layers,
            "total_params": sum(x["params"] for x in layers),
            "trainable_params": sum(x["trainable_params"] for x in layers),
            "non_trainable_params": sum(x["non_trainable_params"] for x in layers),
        }
        cases.append(
            {
                "id": case_id,
                "input_shape": input_shape,
                "layers": calls,
                "error": None,
                "result": result,
                "summaries": {"default": str(stats) + "\n"},
            }
        )
    return {
        "versions": versions("torch", "torchinfo"),
        "command": "torchinfo.summary(model, input_size=(1, *input_shape)) as printed",
        "cases": cases,
    }


def load_keras26_print_summary():
    """Load keras 2.6's layer_utils.py on its own, with a stub 'tensorflow'."""
    stub = types.ModuleType("tensorflow")
    stub.compat = types.ModuleType("tensorflow.compat")
    stub.compat.v2 = stub
    export = types.ModuleType("tensorflow.python.util.tf_export")
    export.keras_export = lambda *a, **k: lambda f: f
    sys.modules.update(
        {
            "tensorflow": stub,
            "tensorflow.compat": stub.compat,
            "tensorflow.compat.v2": stub,
            "tensorflow.python": types.ModuleType("tensorflow.python"),
            "tensorflow.python.util": types.ModuleType("tensorflow.python.util"),
            "tensorflow.python.util.tf_export": export,
        }
    )
    spec = importlib_util.find_spec("keras")
    path = Path(spec.origin).parent / "utils" / "layer_utils.py"
    module_spec = importlib_util.spec_from_file_location("keras26_layer_utils", path)
    module = importlib_util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module.print_summary


class FakeShape:
    def __init__(self, dims: list[int]) -> None:
        self.dims = dims

    def as_list(self) -> list[int]:
        return list(self.dims)


class FakeWeight:
    def __init__(self, shape: list[int]) -> None:
        self.shape = FakeShape(shape)


def fake_model(result: dict):
    layers = []
    for info in result["layers"]:
        cls = type(info["class_name"], (), {})
        layer = cls()
        layer.name = info["name"]
        layer.output_shape = tuple(info["output_shape"])
        layer.built = True
        layer.count_params = lambda info=info: info["params"]
        layers.append(layer)
    model = type("Sequential", (), {})()
    model.name = result["model_name"]
    model.layers = layers
    model.trainable_weights = [
        FakeWeight(w["shape"]) for x in result["layers"] for w in x["weights"] if w["trainable"]
    ]
    model.non_trainable_weights = [
        FakeWeight(w["shape"]) for x in result["layers"] for w in x["weights"] if not w["trainable"]
    ]
    return model


def record_classic(tf_keras_json: str) -> dict:
    """Keras 2.6 print_summary on the tf_keras cases' facts (same names, shapes, counts)."""
    print_summary = load_keras26_print_summary()
    recorded = json.loads(Path(tf_keras_json).read_text(encoding="utf8"))
    cases = []
    for case in recorded["cases"]:
        if case["error"]:
            continue
        model = fake_model(case["result"])
        summaries = {}
        for width in TF_KERAS_WIDTHS:
            out: list[str] = []
            print_summary(model, line_length=width, print_fn=out.append)
            summaries["default" if width is None else str(width)] = "".join(
                line + "\n" for line in out
            )
        cases.append({**case, "summaries": summaries})
    return {
        "versions": {**versions("keras"), "facts_from": recorded["versions"]},
        "command": "keras 2.6.0 keras/utils/layer_utils.py print_summary loaded alone with a stub "
        "tensorflow, on a stand-in model built from the tf_keras facts",
        "cases": cases,
    }


def main() -> None:
    kind = sys.argv[1]
    data = {"keras3": record_keras3, "tf_keras": record_tf_keras, "torch": record_torch}.get(kind)
    data = data() if data else record_classic(sys.argv[2])
    text = json.dumps(data, indent=1, ensure_ascii=False)
    sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
