"""lessons.conv_cost against hand counts, papers and the counted loop; its CLI and the lesson's form.

The formula needs no numpy (the form runs it in the browser): one test imports the module
with numpy blocked. ``lessons.conv`` re-exports the same objects. ``try_stack`` is checked
against numbers derived by hand, against ``lessons.conv.conv2d_counted`` (the loop that
counts what it multiplies), and its errors against what the CLI itself prints.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lessons.conv
import lessons.conv_cost
from conftest import run_without_numpy
from lessons.conv_cost import (
    Conv,
    Cost,
    LayerCost,
    cost,
    main,
    parse_input,
    parse_layer,
    parse_layers,
    receptive_field,
    table_html,
    try_stack,
)
from lessons.i18n import fmt_int


def test_the_module_imports_and_counts_without_numpy():
    code = ("from lessons.conv_cost import try_stack\n"
            "import sys\n"
            "result = try_stack({'input': '20x20x1', 'layers': '7x1 1x7'}, 'uk', 't1')\n"
            "print(sorted(result), sys.modules['numpy'] is None)")
    assert run_without_numpy(code) == "['html'] True"


def test_lessons_conv_re_exports_the_same_objects():
    shared = set(lessons.conv.__all__) & set(lessons.conv_cost.__all__)
    assert {"Conv", "cost", "receptive_field", "ConvError", "main", "translate"} <= shared
    for name in shared:
        assert getattr(lessons.conv, name) is getattr(lessons.conv_cost, name), name
    for module in (lessons.conv, lessons.conv_cost):
        assert all(hasattr(module, name) for name in module.__all__)
        assert len(set(module.__all__)) == len(module.__all__)
    # what stays in lessons.conv is what needs numpy
    assert set(lessons.conv.__all__) - shared == {"conv2d", "conv2d_counted", "path_counts"}


# ---------------------------------------------------------------- counts by hand and by papers


def test_homework_counts_by_hand():
    valid = cost([Conv(7)], 20, 20)
    assert valid.output_shape == (1, 14, 14) and valid.multiplications == 14 * 14 * 49
    assert cost([Conv(7, padding="same")], 20, 20).multiplications == 20 * 20 * 49
    sep = cost([Conv((7, 1)), Conv((1, 7))], 20, 20)
    assert [r.multiplications for r in sep.per_layer] == [14 * 20 * 7, 14 * 14 * 7]
    assert sep.multiplications == 3332 and sep.output_shape == (1, 14, 14)
    assert sep.per_layer[0].output_shape == (1, 14, 20)
    assert cost([Conv((7, 1), padding="same"), Conv((1, 7), padding="same")], 20, 20).multiplications == 5600
    assert sep.receptive_field == (7, 7)


def test_the_student_chain_has_a_13x13_field_and_an_8x8_output():
    chain = [Conv(s) for k in (3, 5, 7) for s in ((k, 1), (1, k))]
    c = cost(chain, 20, 20)
    assert c.receptive_field == (3 + 5 + 7 - 2, 3 + 5 + 7 - 2) == (13, 13)
    assert c.output_shape == (1, 8, 8)
    # by hand: 18×20·3, 18×18·3, 14×18·5, 14×14·5, 8×14·7, 8×8·7
    assert c.multiplications == 1080 + 972 + 1260 + 980 + 784 + 448
    same = cost([Conv(s, padding="same") for k in (3, 5, 7) for s in ((k, 1), (1, k))], 20, 20)
    assert same.multiplications == 12000  # the student's number is the "same" count


def test_separable_article_depthwise_example():
    # Chi-Feng Wang, "A Basic Introduction to Separable Convolutions": 12×12×3 input,
    # 256 kernels of 5×5×3 → 8×8×256: 1,228,800 multiplications; depthwise 4,800 +
    # pointwise 49,152 = 53,952
    standard = cost([Conv(5, 3, 256)], 12, 12)
    assert standard.output_shape == (256, 8, 8)
    assert standard.multiplications == 1_228_800
    separable = cost([Conv(5, 3, 3, groups=3), Conv(1, 3, 256)], 12, 12)
    assert [r.multiplications for r in separable.per_layer] == [4_800, 49_152]
    assert separable.multiplications == 53_952
    assert separable.output_shape == (256, 8, 8)


@pytest.mark.parametrize("c", [1, 16, 64, 512])
def test_vgg_three_3x3_against_one_7x7(c):
    three = cost([Conv(3, c, c, padding="same")] * 3, 32, 32)
    one = cost([Conv(7, c, c, padding="same")], 32, 32)
    assert three.params == 27 * c * c and one.params == 49 * c * c
    assert three.receptive_field == one.receptive_field == (7, 7)


@pytest.mark.parametrize("n, dk", [(64, 3), (256, 5), (64, 7), (1024, 3)])
def test_mobilenet_cost_ratio(n, dk):
    # Howard et al. 2017, eq. (5): (Dk²·M·Df² + M·N·Df²) / (Dk²·M·N·Df²) = 1/N + 1/Dk²
    m, df = 32, 14
    standard = cost([Conv(dk, m, n, padding="same")], df, df)
    separable = cost([Conv(dk, m, m, groups=m, padding="same"), Conv(1, m, n)], df, df)
    assert separable.multiplications / standard.multiplications == pytest.approx(1 / n + 1 / dk**2)


# ---------------------------------------------------------------- receptive fields


def test_receptive_field_by_hand():
    assert receptive_field([Conv(3)] * 3) == (7, 7)
    assert receptive_field([Conv(7)]) == (7, 7)
    assert receptive_field([Conv(3, dilation=2)]) == (5, 5)
    assert receptive_field([Conv(3), Conv(3, dilation=2)]) == (7, 7)
    # strides multiply the later layers' steps: 1 + 2 + 2·2 + 2·4
    assert receptive_field([Conv(3, stride=2), Conv(3, stride=2), Conv(3)]) == (15, 15)
    assert receptive_field([Conv((1, 7)), Conv((7, 1))]) == (7, 7)
    # width: the 1-wide kernel adds 0 but doubles the step, so the 3 adds 2·2
    assert receptive_field([Conv((3, 1), stride=(1, 2)), Conv(3)]) == (5, 5)


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("call, match", [
    (lambda: Conv(3, 3, 4, groups=2), "groups"),
    (lambda: Conv(0), "kernel"),
    (lambda: Conv(3, stride=2, padding="same"), "same"),
    (lambda: cost([Conv(3, 1, 8), Conv(3, 4, 4)], 10, 10), "takes 4 channels"),
    (lambda: cost([Conv(7)], 5, 5), "is larger than the input, which is only"),
    (lambda: cost([Conv(3, dilation=3)], 5, 5), "but the input, with its padding, is only"),
    (lambda: cost([], 5, 5), "at least one"),
])
def test_bad_input_names_the_problem(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_wrong_types_raise_type_error():
    with pytest.raises(TypeError, match="layers"):
        cost(["3x3"], 5, 5)
    with pytest.raises(TypeError, match="stride"):
        Conv(3, stride=1.5)


# ---------------------------------------------------------------- the CLI


def test_cli_prints_the_table(capsys):
    assert main(["--input", "20x20x1", "7x1", "1x7"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split()[0] == "layer"
    assert "1×14×20" in lines[2] and "1,960" in lines[2]
    assert "1,372" in lines[3] and "7×7" in lines[3]
    assert lines[-1].split()[:2] == ["total", "1×14×14"] and "3,332" in lines[-1]


def test_cli_in_ukrainian_and_with_options(capsys):
    assert main(["--lang", "uk", "--input", "56x56x64", "7x7 same dw", "1x1 c128"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("шар") and "разом" in out
    assert "128×56×56" in out
    # depthwise 7×7 on 64 channels: 49·64 weights, pointwise 64·128
    assert "3\u202f136" in out  # Ukrainian digit groups: a narrow no-break space


@pytest.mark.parametrize("argv, message", [
    (["--input", "5x5", "7x7"], "is larger than the input, which is only"),
    (["--input", "5x5", "3x3 d3"], "spans 7×7, but the input, with its padding, is only"),
    (["--input", "20x20x3", "3x3 g2"], "groups"),
    (["--input", "20x20", "3x3 s2 same"], "same"),
    (["--input", "20x20", "three"], "kernel"),
    (["--input", "20x20", "3x3 q4"], "unknown option"),
    (["--input", "20by20", "3x3"], "the input size"),
    (["--input", "0x20", "3x3"], "the input size"),
])
def test_cli_refuses_impossible_stacks(capsys, argv, message):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("error:") and message in captured.err


@pytest.mark.parametrize("argv, english, ukrainian", [
    (["--input", "20x20x1", "7x7", "7x7", "7x7", "7x7"],
     "error: layer 4 (input 2×2): kernel 7×7 is larger than the input, which is only 2×2 even with "
     "its padding",
     "помилка: шар 4 (вхід 2×2): ядро 7×7 більше за вхід, який навіть із доповненням має розмір "
     "лише 2×2"),
    (["--input", "20x20x3", "3x3 g2"],
     "both the input (3) and the output (3) channel counts must be divisible by the number of groups (2)",
     "і кількість вхідних (3), і кількість вихідних (3) каналів мають ділитися націло на кількість груп (2)"),
    # the stride as typed: s2 is 2, s1x2 is 1×2
    (["--input", "20x20", "3x3 s2 same"], "padding 'same' needs stride 1 (as in PyTorch), got stride 2",
     "доповнення «same» можливе лише з кроком 1 (як і в PyTorch), а задано крок 2"),
    (["--input", "20x20", "3x3 s1x2 same"], "got stride 1×2", "а задано крок 1×2"),
    (["--input", "20x20", "three"], "layer 'three': the first word must be the kernel, such as 3x3 or 7x1, "
     "not 'three'", "шар «three»: першим має бути ядро, наприклад 3x3 або 7x1, а не «three»"),
    # layer options are «налаштування»: «параметри» is the table's column (number of weights)
    (["--input", "20x20", "3x3 q4"], "layer '3x3 q4': unknown option 'q4' (options: s2,",
     "шар «3x3 q4»: невідоме налаштування «q4» (можна: s2,"),
    (["--input", "20by20", "3x3"],
     "the input size is written as height x width or height x width x channels, all positive "
     "(for example 20x20x1), not '20by20'",
     "розмір входу має бути у вигляді висота x ширина або висота x ширина x канали з "
     "додатними числами (наприклад, 20x20x1), а не «20by20»"),
    (["--input", "20x20", "0x3"], "kernel sizes must be at least 1, got 0×3",
     "розміри ядра мають бути щонайменше 1, а задано 0×3"),
    (["--input", "20x20", "3x3 s0x1"], "stride must be at least 1, got 0×1",
     "крок має бути щонайменше 1, а задано 0×1"),
    (["--input", "20x20", "3x3 c0"], "the number of output channels must be a whole number, at least 1, got 0",
     "кількість вихідних каналів має бути цілим числом, щонайменше 1, а задано 0"),
    # no layer at all, and a blank argument beside a real layer
    (["--input", "20x20", ""], "no layers given: start with a kernel such as 3x3 or 7x1",
     "не задано жодного шару: почніть з ядра, наприклад 3x3 або 7x1"),
    (["--input", "20x20", "3x3", ""], "empty layer", "порожній шар"),
    (["--input", "20x20", "3x3 c2x2"], "c takes a single number (the number of output channels)",
     "після c має йти одне число — кількість вихідних каналів"),
    (["--input", "20x20", "3x3 g2x2"], "g takes a single number (the number of groups)",
     "після g має йти одне число — кількість груп"),
    # a letter option without its number is not an unknown option
    (["--input", "20x20", "3x3 c"], "layer '3x3 c': c needs a number after it, as in c64",
     "шар «3x3 c»: після c потрібне число, наприклад c64"),
    (["--input", "20x20", "3x3 s"], "s needs a number after it, as in s2", "після s потрібне число, наприклад s2"),
    (["--input", "20x20", "3x3 p"], "p needs a number after it, as in p1", "після p потрібне число, наприклад p1"),
])
def test_cli_errors_speak_the_chosen_language(capsys, argv, english, ukrainian):
    assert main(["--lang", "en", *argv]) == 2
    assert english in capsys.readouterr().err
    assert main(["--lang", "uk", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("помилка: ") and ukrainian in err
    # no English sentence leaks into the Ukrainian message (user input such as 'q4' aside)
    assert not re.search(r"\b(must|layer|kernel|larger|error|got)\b", err)
    # and it quotes the reader's words in guillemets, never in Python's quotes
    assert "'" not in err and '"' not in err


def test_api_errors_stay_english():
    with pytest.raises(ValueError, match=r"^layer 4 \(input 2×2\): kernel 7×7 is larger than the input"):
        cost([Conv(7)] * 4, 20, 20)
    with pytest.raises(ValueError, match=r"^both the input \(3\) and the output \(3\) channel counts must be"):
        Conv(3, 3, 3, groups=2)


def test_cli_without_layers_exits_with_usage(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--input", "20x20"])
    assert exc.value.code == 2


def test_parsers():
    assert parse_input("20x20x1") == (1, 20, 20)
    assert parse_input("56×56×64") == (64, 56, 56)
    layer = parse_layer("1x7 s2 p3 d2 c64", 1)
    assert (layer.kernel, layer.stride, layer.padding, layer.dilation, layer.out_channels) == (
        (1, 7), (2, 2), (3, 3), (2, 2), 64)
    assert parse_layer("3x3 p1x0", 1).padding == (1, 0)
    assert parse_layer("5", 2).kernel == (5, 5)


# ---------------------------------------------------------------- several layers in one line


def test_a_layer_starts_at_its_kernel_so_quotes_are_optional(capsys):
    quoted = main(["--input", "20x20x1", "7x1", "1x7 same"])
    first = capsys.readouterr().out
    assert quoted == 0
    for argv in (["7x1", "1x7", "same"], ["7x1 1x7 same"], ["7x1,", "'1x7", "same'"]):
        assert main(["--input", "20x20x1", *argv]) == 0
        assert capsys.readouterr().out == first
    assert [c.label() for c in parse_layers('7x1 "1x7 same", 3x3 s2 c4', 1)] == ["7x1", "1x7 same", "3x3 s2"]
    assert parse_layers("3x3 c4 1x1 c8", 2)[1].in_channels == 4  # channels flow from layer to layer


# ---------------------------------------------------------------- the form: try_stack


class _Table(HTMLParser):
    """The cells of the table (text, as a reader sees it) and every tag used."""

    def __init__(self):
        super().__init__()
        self.rows, self.tags = [], set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.rows[-1].append("")

    def handle_data(self, data):
        if self.rows and self.rows[-1]:
            self.rows[-1][-1] += data


def _cells(markup: str) -> list[list[str]]:
    parser = _Table()
    parser.feed(markup)
    assert parser.tags <= {"div", "table", "thead", "tbody", "tr", "th", "td", "code"}, parser.tags
    return parser.rows


def _rows(fields, lang="en"):
    result = try_stack(fields, lang, "t")
    assert set(result) == {"html"}, result
    head, *rows = _cells(result["html"])
    return head, {row[0]: row[1:] for row in rows}


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_one_7x7_on_the_homework_input_by_hand(lang):
    n = lambda x: fmt_int(x, lang)  # noqa: E731
    # no padding (the CLI's default): 20 − 7 + 1 = 14 positions a side, 49 taps at each
    head, rows = _rows({"input": "20x20x1", "layers": "7x7"}, lang)
    assert len(head) == 5
    total = "разом" if lang == "uk" else "total"
    assert rows["7x7"] == rows[total] == ["1×14×14", n(49), n(49 * 14 * 14), "7×7"]
    assert rows["вхід" if lang == "uk" else "input"][0] == "1×20×20"
    # "same" keeps 20 × 20 positions, every one multiplies all 49 taps (zeros included)
    _, rows = _rows({"input": "20x20x1", "layers": "7x7 same"}, lang)
    assert rows["7x7 same"] == ["1×20×20", n(49), n(49 * 20 * 20), "7×7"]
    # 7×1 on 20 × 20: 14 × 20 positions of 7 taps; then 1×7: 14 × 14 positions of 7 taps
    _, rows = _rows({"input": "20x20x1", "layers": "7x1 1x7"}, lang)
    assert rows["7x1"] == ["1×14×20", "7", n(7 * 14 * 20), "7×1"]
    assert rows["1x7"] == ["1×14×14", "7", n(7 * 14 * 14), "7×7"]
    assert rows[total] == ["1×14×14", "14", n(7 * 14 * 20 + 7 * 14 * 14), "7×7"]


def test_ukrainian_numbers_are_grouped_as_on_the_pages():
    _, rows = _rows({"input": "20x20x1", "layers": "7x7"}, "uk")
    assert rows["разом"][2] == "9\u202f604" == fmt_int(9604, "uk")
    _, rows = _rows({"input": "20x20x1", "layers": "7x7"}, "en")
    assert rows["total"][2] == "9,604"


def test_a_small_stack_against_the_counted_loop():
    np = pytest.importorskip("numpy")
    from lessons.conv import conv2d_counted

    fields = {"input": "7x6x2", "layers": "3x3 p1 c4 3x3 s2 g2 1x1 c3"}
    _, rows = _rows(fields)
    layers = parse_layers(fields["layers"], 2)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, 2, 7, 6))
    total = 0
    for layer in layers:
        w = rng.standard_normal((layer.out_channels, layer.in_channels // layer.groups, *layer.kernel))
        x, performed = conv2d_counted(x, w, stride=layer.stride, padding=layer.padding,
                                      groups=layer.groups)
        total += performed
        shape, _params, mults, _field = rows[layer.label()]
        assert shape == "×".join(map(str, x.shape[1:])) and mults == fmt_int(performed, "en")
    assert rows["total"][2] == fmt_int(total, "en")


BAD = [
    {"input": "abc", "layers": "7x7"},
    {"input": "0x7", "layers": "7x7"},
    {"input": "20x20x0", "layers": "7x7"},
    {"input": "", "layers": "7x7"},
    {"input": "20x20x1", "layers": "abc"},
    {"input": "20x20x1", "layers": "0x7"},
    {"input": "20x20x1", "layers": ""},
    {"input": "20x20x1", "layers": "   "},
    {"input": "20x20x1", "layers": "21x21"},  # a kernel larger than the input
    {"input": "20x20x1", "layers": "7x7 7x7 7x7 7x7"},
    {"input": "20x20x1", "layers": "3x3 s2 same"},
    {"input": "20x20x3", "layers": "3x3 g2"},
    {"input": "20x20x1", "layers": "3x3 q4"},
    {"input": "20x20x1", "layers": "3x3 c2.5"},
    {"input": "20x20x1", "layers": "3x3 <script>alert(1)</script>"},
]


@pytest.mark.parametrize("lang", ["uk", "en"])
@pytest.mark.parametrize("fields", BAD, ids=lambda f: f"{f['input']}|{f['layers']}")
def test_bad_input_gives_the_cli_s_own_error(capsys, fields, lang):
    assert main(["--lang", lang, "--input", fields["input"], "--", fields["layers"]]) == 2
    printed = capsys.readouterr().err.rstrip("\n")
    prefix = {"uk": "помилка: ", "en": "error: "}[lang]  # the CLI's; the page writes its own
    assert try_stack(fields, lang, "t") == {"error": printed.removeprefix(prefix)}
    assert printed.startswith(prefix)


def test_the_error_is_plain_text_with_the_reader_s_words_as_typed():
    # the output element takes the error as text (never as markup), so nothing is escaped twice
    error = try_stack({"input": "20x20x1", "layers": "3x3 <b>"}, "en", "t")["error"]
    assert error == "layer '3x3 <b>': unknown option '<b>' (options: s2, p1, same, valid, d2, g4, dw, c64)"


def test_every_cell_of_the_table_is_escaped():
    class Layer:  # a layer whose name is markup: table_html must not pass it through
        def label(self):
            return "<img src=x onerror=alert(1)>&"

    row = LayerCost(Layer(), (1, 3, 3), (1, 1, 1), 9, 9, (3, 3))
    markup = table_html(Cost(9, 9, (1, 1, 1), (3, 3), (row,)), "en")
    assert "<img" not in markup and html.escape("<img src=x onerror=alert(1)>&") in markup
    assert _cells(markup)[2][0] == "<img src=x onerror=alert(1)>&"


@pytest.mark.parametrize("fields", [None, [], {}, {"input": 20}, {"input": None, "layers": None},
                                    {"input": "20x20x1", "layers": "3x3 p" + "9" * 5000},
                                    {"input": "9" * 5000 + "x2", "layers": "1x1"},
                                    {"input": "20x20x1", "layers": "-3x3"}])
def test_strange_fields_never_raise(fields):
    result = try_stack(fields, "uk", "t")
    assert list(result) == ["error"] and isinstance(result["error"], str)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="0123456789x× sdpgcw,'\"samevlid", max_size=24), st.sampled_from(["uk", "en"]))
def test_any_line_of_layers_gives_a_table_or_an_error(layers, lang):
    result = try_stack({"input": "12x12x4", "layers": layers}, lang, "t")
    assert len(result) == 1 and isinstance(next(iter(result.values())), str)
    if "html" in result:
        _cells(result["html"])


@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_input_size_is_said_to_be_missing(text):
    assert try_stack({"input": text, "layers": "3x3"}, "uk") == {
        "error": "розмір входу не задано: наприклад, 20x20x1"}
    assert try_stack({"input": text, "layers": "3x3"}, "en") == {
        "error": "no input size given: for example 20x20x1"}


def test_a_letter_option_with_a_number_that_is_not_whole_names_the_option():
    # c and s are known options: the number is what is wrong (not "unknown option 'c2.5'")
    error = try_stack({"input": "20x20x1", "layers": "3x3 c2.5"}, "uk")["error"]
    assert error == "шар «3x3 c2.5»: після c має йти ціле число, наприклад c64"
    assert "unknown" not in try_stack({"input": "20x20x1", "layers": "3x3 s1.5"}, "en")["error"]
