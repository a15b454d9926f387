"""analyze() on every layer family, with expectations worked from the frameworks' docs."""

from __future__ import annotations

import json

import pytest

from sphinxcontrib_convpad import ConvPadError, analyze

TUTORIAL = "Conv2D(filters=24, input_shape=({n},{n},1), kernel_size=(2,2), strides =(2,2) ,padding='{p}')"


@pytest.mark.parametrize(
    ("n", "padding", "output", "pads", "unread_after"),
    [(5, "Same", 3, (0, 1), 0), (5, "Valid", 2, (0, 0), 1), (6, "Valid", 3, (0, 0), 0)],
)
def test_tutorial_models(n, padding, output, pads, unread_after):
    result = analyze(TUTORIAL.format(n=n, p=padding))
    (layer,) = result["layers"]
    assert result["model_name"] == "sequential"
    assert result["input_shape"] == [None, n, n, 1]
    assert layer["name"] == "conv2d"
    assert layer["padding"] == padding.lower()
    assert layer["output_shape"] == [None, output, output, 24]
    assert (layer["params"], result["total_params"], result["non_trainable_params"]) == (120, 120, 0)
    for axis in layer["axes"]:
        assert (axis["pad_before"], axis["pad_after"]) == pads
        assert axis["unread_after"] == unread_after
    json.dumps(result)  # JSON-serialisable


def test_six_by_six_valid_equals_same():
    layer = analyze(TUTORIAL.format(n=6, p="valid"))["layers"][0]
    assert layer["outputs_by_padding"] == {"valid": [3, 3], "same": [3, 3]}


# (layers, input_shape, expected output shapes, expected params per layer)
# Params: Keras conv kernel k..*(in/groups)*filters + filters; transposed k..*filters*in +
# filters; depthwise k..*in*m + in*m; separable k..*in*m + in*m*filters + filters; dense
# in*units + units; batch norm 4*C (2*C non-trainable).
KERAS_CASES = [
    (["Conv1D(8, 3, padding='causal', dilation_rate=2)"], (10, 4), [[None, 10, 8]], [104]),
    (["Conv1D(8, 3, strides=2, padding='causal')"], (10, 4), [[None, 5, 8]], [104]),
    (["Conv3D(4, (3, 3, 3), padding='same', strides=2)"], (7, 8, 9, 2), [[None, 4, 4, 5, 4]], [220]),
    (["Conv2D(6, 3, groups=3, use_bias=False)"], (8, 8, 3), [[None, 6, 6, 6]], [54]),
    (["Conv2D(6, 3, data_format='channels_first')"], (3, 8, 8), [[None, 6, 6, 6]], [168]),
    (["Conv2D(2, 7, padding='same')"], (4, 4, 1), [[None, 4, 4, 2]], [100]),
    (["Conv2D(2, 1, strides=3)"], (5, 5, 1), [[None, 2, 2, 2]], [4]),
    (["Conv2DTranspose(4, 3, strides=2, padding='same')"], (3, 3, 2), [[None, 6, 6, 4]], [76]),
    (["Conv2DTranspose(4, 3, strides=2)"], (3, 3, 2), [[None, 7, 7, 4]], [76]),
    (["Conv2DTranspose(4, 3, strides=2, output_padding=1)"], (3, 3, 2), [[None, 8, 8, 4]], [76]),
    (["Conv1DTranspose(1, 2, strides=3)"], (3, 1), [[None, 9, 1]], [3]),
    (["DepthwiseConv2D(3, depth_multiplier=2)"], (5, 5, 3), [[None, 3, 3, 6]], [60]),
    (["SeparableConv2D(8, 3, padding='same')"], (5, 5, 3), [[None, 5, 5, 8]], [59]),
    (["MaxPooling2D()"], (5, 5, 3), [[None, 2, 2, 3]], [0]),
    (["MaxPooling2D(padding='same')"], (5, 5, 3), [[None, 3, 3, 3]], [0]),
    (["AveragePooling1D(3, strides=1)"], (6, 2), [[None, 4, 2]], [0]),
    (["MaxPooling3D(pool_size=2, strides=(1, 2, 2))"], (3, 4, 5, 1), [[None, 2, 2, 2, 1]], [0]),
    (["ZeroPadding2D(((1, 2), (3, 4)))"], (5, 5, 1), [[None, 8, 12, 1]], [0]),
    (["ZeroPadding1D(2)"], (5, 3), [[None, 9, 3]], [0]),
    (["Cropping2D(((1, 0), (2, 2)))"], (5, 6, 1), [[None, 4, 2, 1]], [0]),
    (["UpSampling2D(size=(2, 3))"], (4, 5, 1), [[None, 8, 15, 1]], [0]),
    (["GlobalAveragePooling2D()"], (4, 5, 7), [[None, 7]], [0]),
    (["GlobalMaxPooling2D(keepdims=True)"], (4, 5, 7), [[None, 1, 1, 7]], [0]),
    (
        ["Conv2D(24, 2, strides=2, padding='same')", "Flatten()", "Dense(10)"],
        (5, 5, 1),
        [[None, 3, 3, 24], [None, 216], [None, 10]],
        [120, 0, 2170],
    ),
    (["Dense(4)"], (3, 3, 24), [[None, 3, 3, 4]], [100]),
    (["BatchNormalization()"], (5, 5, 8), [[None, 5, 5, 8]], [32]),
    (["Reshape((-1, 4))"], (4, 6), [[None, 6, 4]], [0]),
    (["Dropout(0.5)", "Activation('relu')"], (4,), [[None, 4], [None, 4]], [0, 0]),
]


@pytest.mark.parametrize(("layers", "shape", "outputs", "params"), KERAS_CASES)
def test_keras_layers(layers, shape, outputs, params):
    result = analyze(layers, input_shape=shape)
    assert [layer["output_shape"] for layer in result["layers"]] == outputs
    assert [layer["params"] for layer in result["layers"]] == params
    assert result["total_params"] == sum(params)


TORCH_CASES = [
    (["nn.Conv2d(1, 24, kernel_size=2, stride=2, padding=1)"], (1, 5, 5), [[None, 24, 3, 3]], [120]),
    (["nn.Conv2d(1, 24, 2, 2)"], (1, 5, 5), [[None, 24, 2, 2]], [120]),
    (["nn.Conv1d(2, 4, 3, padding='same', dilation=2)"], (2, 10), [[None, 4, 10]], [28]),
    (["nn.Conv2d(4, 8, 3, groups=2, bias=False)"], (4, 6, 6), [[None, 8, 4, 4]], [144]),
    (["nn.Conv3d(1, 2, (1, 2, 3), stride=(1, 2, 3), padding=(0, 1, 1))"], (1, 3, 4, 5), [[None, 2, 3, 3, 2]], [14]),
    (["nn.ConvTranspose2d(2, 4, 3, stride=2, padding=1, output_padding=1)"], (2, 3, 3), [[None, 4, 6, 6]], [76]),
    (["nn.ConvTranspose1d(1, 1, 2, stride=3)"], (1, 3), [[None, 1, 8]], [3]),
    (["nn.MaxPool2d(2, ceil_mode=True)"], (3, 5, 5), [[None, 3, 3, 3]], [0]),
    (["nn.MaxPool1d(3, stride=2, padding=1, dilation=1)"], (1, 7), [[None, 1, 4]], [0]),
    (["nn.AvgPool2d(3, stride=2, padding=1)"], (1, 6, 6), [[None, 1, 3, 3]], [0]),
    (["nn.ZeroPad2d((1, 2, 3, 4))"], (1, 5, 5), [[None, 1, 12, 8]], [0]),
    (["nn.Flatten()", "nn.Linear(75, 10)"], (3, 5, 5), [[None, 75], [None, 10]], [0, 760]),
    (["nn.BatchNorm2d(8)", "nn.ReLU()", "nn.Dropout(0.2)"], (8, 4, 4), [[None, 8, 4, 4]] * 3, [16, 0, 0]),
    # pasted arithmetic is folded: 3 * 4 * 4 = 48 input features
    (["nn.Flatten()", "nn.Linear(3 * 4 * 4, 10 // 2)"], (3, 4, 4), [[None, 48], [None, 5]], [0, 245]),
    (["nn.AdaptiveAvgPool2d((1, None))"], (8, 7, 5), [[None, 8, 1, 5]], [0]),
    (["nn.ConstantPad1d((2, -1), 0.5)"], (2, 6), [[None, 2, 7]], [0]),
    (["nn.Upsample(scale_factor=1.5)", "nn.PReLU(3)"], (3, 5, 5), [[None, 3, 7, 7], [None, 3, 7, 7]], [0, 3]),
    (["nn.Flatten()", "nn.Unflatten(1, (3, -1))"], (3, 2, 2), [[None, 12], [None, 3, 4]], [0, 0]),
]


@pytest.mark.parametrize(("layers", "shape", "outputs", "params"), TORCH_CASES)
def test_pytorch_layers(layers, shape, outputs, params):
    result = analyze(layers, input_shape=shape, framework="pytorch")
    assert [layer["output_shape"] for layer in result["layers"]] == outputs
    assert [layer["params"] for layer in result["layers"]] == params
    assert [layer["name"] for layer in result["layers"]] == [str(i) for i in range(len(layers))]


def test_keras_automatic_names_follow_a_fresh_session():
    result = analyze(
        [
            "keras.Input(shape=(8, 8, 1))",
            "Conv2D(4, 3)",
            "Conv2D(4, 3, name='mine')",
            "Conv2D(4, 1)",
            "Conv2DTranspose(2, 2)",
            "DepthwiseConv2D(1)",
            "MaxPooling2D()",
            "BatchNormalization()",
            "UpSampling2D()",
            "ZeroPadding2D()",
        ]
    )
    assert [layer["name"] for layer in result["layers"]] == [
        "conv2d",
        "mine",
        "conv2d_1",
        "conv2d_transpose",
        "depthwise_conv2d",
        "max_pooling2d",
        "batch_normalization",
        "up_sampling2d",
        "zero_padding2d",
    ]
    assert result["input_shape"] == [None, 8, 8, 1]


def test_batch_norm_moving_statistics_are_not_trainable():
    result = analyze("BatchNormalization()", input_shape=(4, 4, 8))
    assert (result["trainable_params"], result["non_trainable_params"]) == (16, 16)


def test_model_name_and_pasted_model_add():
    result = analyze("model.add(Conv2D(24, 2, input_shape=(5, 5, 1)))", model_name="tutorial")
    assert result["model_name"] == "tutorial"
    assert result["layers"][0]["output_shape"] == [None, 4, 4, 24]


def test_dotted_names_are_accepted_never_evaluated():
    result = analyze(
        "layers.Conv2D(8, 3, activation=tf.nn.relu,"
        " kernel_initializer=keras.initializers.HeNormal(seed=1), input_shape=(5, 5, 1))"
    )
    assert result["layers"][0]["output_shape"] == [None, 3, 3, 8]


REFUSALS = [
    ("keras", ["Conv2D(1, 3)"], (2, 2, 1), "output height would be 0"),
    ("keras", ["Conv2D(1, 2, strides=2, dilation_rate=2)"], (9, 9, 1), "strides > 1 cannot be combined with dilation_rate > 1"),
    ("keras", ["Conv2D(4, 3, groups=2)"], (5, 5, 3), "3 channels must be divisible by groups (2)"),
    ("keras", ["Conv2D(3, 3, groups=2)"], (5, 5, 4), "filters (3) must be divisible by groups (2)"),
    ("keras", ["Conv2D(4, 3, padding='foo')"], (5, 5, 1), "padding must be one of 'valid', 'same', got 'foo'"),
    ("keras", ["Conv2D(4, 3, padding='causal')"], (5, 5, 1), "got 'causal'"),
    ("keras", ["Conv2D(0, 3)"], (5, 5, 1), "filters must be a positive integer, got 0"),
    ("keras", ["Conv2D(4, (3, 3, 3))"], (5, 5, 1), "kernel_size must be a positive integer or a tuple of 2 integers"),
    ("keras", ["Conv2D(4, 3, strides=(0, 2))"], (5, 5, 1), "got (0, 2)"),
    ("keras", ["Conv2D(4, 3, foo=1)"], (5, 5, 1), "Conv2D does not take an argument 'foo'"),
    ("keras", ["Conv2D(4, 3)"], (5, 5), "expects a 4-D input"),
    ("keras", ["MaxPooling2D(padding='Same')"], (5, 5, 1), "pooling layers do not lower-case it"),
    ("keras", ["Conv2DTranspose(4, 3, strides=2, output_padding=2)"], (3, 3, 1), "output_padding must be smaller than strides"),
    ("keras", ["Cropping1D((3, 2))"], (5, 1), "leaves nothing"),
    ("keras", ["Reshape((7,))"], (2, 3), "cannot reshape"),
    ("keras", ["Dropout(1.5)"], (3,), "rate must be a number between 0 and 1"),
    ("keras", ["Conv2D(4, 3)"], None, "no input shape"),
    ("keras", ["nn.Conv2d(1, 2, 3)"], (5, 5, 1), "is a pytorch layer"),
    ("keras", ["Conv2d(1, 2, 3)"], (5, 5, 1), "did you mean Conv2D"),
    ("keras", ["Conv2D(4, 3, kernel_size=3)"], (5, 5, 1), "got argument 'kernel_size' twice"),
    ("keras", ["Conv2D(4, kernel_size=int('3'))"], (5, 5, 1), "got int('3')"),
    ("keras", ["Conv2D(4, 3 + 'a')"], (5, 5, 1), "must be a literal"),
    ("keras", ["Conv2D(4, 2 ** 100)"], (5, 5, 1), "too large"),
    ("keras", ["Conv2D(4, 3 // 0)"], (5, 5, 1), "cannot be computed"),
    ("keras", ["Conv2D(4, " + "+".join(["1"] * 700) + ")"], (5, 5, 1), "nested too deeply"),
    ("pytorch", ["nn.ReflectionPad2d(5)"], (1, 5, 5), "must be smaller than the input"),
    ("pytorch", ["nn.PReLU(4)"], (3, 5, 5), "num_parameters must be 1 or the number of channels (3)"),
    ("pytorch", ["nn.Upsample()"], (3, 5, 5), "either size or scale_factor"),
    ("keras", ["__import__('os').system('true')"], (5, 5, 1), "expected a layer name"),
    ("keras", ["Conv2D(4, 3"], (5, 5, 1), "cannot read"),
    ("keras", ["Conv2D(4, 3)", "Conv2D(4, 3, name='conv2d')"], (7, 7, 1), "used twice"),
    ("pytorch", ["nn.Conv2d(1, 2, 3, stride=2, padding='same')"], (1, 5, 5), "padding='same' is not supported with stride 2"),
    ("pytorch", ["nn.Conv2d(1, 2, 3, padding='Same')"], (1, 5, 5), "got 'Same'"),
    ("pytorch", ["nn.Conv2d(3, 2, 3, groups=2)"], (3, 5, 5), "in_channels (3) must be divisible by groups (2)"),
    ("pytorch", ["nn.Conv2d(3, 2, 3)"], (1, 5, 5), "expects 3 input channels"),
    ("pytorch", ["nn.Conv2d(1, 2, 7)"], (1, 5, 5), "smaller than the kernel (7)"),
    ("pytorch", ["nn.MaxPool2d(2, padding=2)"], (1, 5, 5), "more than half"),
    ("pytorch", ["nn.ConvTranspose2d(1, 1, 3, stride=2, output_padding=2)"], (1, 3, 3), "output_padding must be smaller than stride or dilation"),
    ("pytorch", ["nn.Conv2d(1, 2, 3)"], None, "channels first"),
    ("pytorch", ["nn.Linear(10, 2)"], (3, 4), "expects 10 input features"),
]


@pytest.mark.parametrize(("framework", "layers", "shape", "message"), REFUSALS)
def test_refusals_are_conv_pad_errors_with_clear_messages(framework, layers, shape, message):
    with pytest.raises(ConvPadError) as caught:
        analyze(layers, input_shape=shape, framework=framework)
    assert message in str(caught.value)


def test_error_names_the_offending_layer_line():
    with pytest.raises(ConvPadError) as caught:
        analyze("Conv2D(4, 3, input_shape=(9, 9, 1))\n\n# comment\nConv2D(4, 9)")
    assert caught.value.line == 3
    assert str(caught.value).startswith("Conv2D: ")


def test_multi_line_call_is_one_layer():
    result = analyze("Conv2D(\n    filters=4,\n    kernel_size=3,  # a comment\n    input_shape=(5, 5, 1),\n)")
    assert result["layers"][0]["output_shape"] == [None, 3, 3, 4]
