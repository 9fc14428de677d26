"""The Value engine against derivatives worked out by hand and against central differences."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lessons.autograd import Value, topological_order
from lessons.gradcheck import numerical_gradient


def grads_of(build, *values):
    """Value and gradients of ``build(*leaves)`` by backward()."""
    leaves = [Value(v, f"x{i}") for i, v in enumerate(values)]
    out = build(*leaves)
    out.backward()
    return out.data, [leaf.grad for leaf in leaves]


def numeric(build, *values):
    """Central-difference gradients of the same function (an independent check)."""
    def f(arr):
        return build(*(Value(float(v)) for v in arr)).data
    return numerical_gradient(f, np.array(values, dtype=float))


E = math.e
SIG2 = 1.0 / (1.0 + math.exp(-2.0))
TANH2 = (E**4 - 1) / (E**4 + 1)

# (name, function, point, value by hand, gradients by hand)
GATES = [
    ("x + y", lambda x, y: x + y, (2.0, 5.0), 7.0, [1.0, 1.0]),
    ("x - y", lambda x, y: x - y, (2.0, 5.0), -3.0, [1.0, -1.0]),
    ("x * y", lambda x, y: x * y, (2.0, 5.0), 10.0, [5.0, 2.0]),        # swap
    ("x / y", lambda x, y: x / y, (2.0, 5.0), 0.4, [1 / 5, -2 / 25]),   # -x/y²
    ("max(x, y)", lambda x, y: x.max(y), (2.0, 5.0), 5.0, [0.0, 1.0]),  # router
    ("max(y, x)", lambda x, y: y.max(x), (2.0, 5.0), 5.0, [0.0, 1.0]),
    ("x + 3", lambda x: x + 3, (2.0,), 5.0, [1.0]),
    ("3 + x", lambda x: 3 + x, (2.0,), 5.0, [1.0]),
    ("x - 3", lambda x: x - 3, (2.0,), -1.0, [1.0]),
    ("3 - x", lambda x: 3 - x, (2.0,), 1.0, [-1.0]),
    ("x * 3", lambda x: x * 3, (2.0,), 6.0, [3.0]),
    ("3 * x", lambda x: 3 * x, (2.0,), 6.0, [3.0]),
    ("x / 4", lambda x: x / 4, (2.0,), 0.5, [0.25]),
    ("1 / x", lambda x: 1 / x, (2.0,), 0.5, [-0.25]),                   # -c/x²
    ("3 / x", lambda x: 3 / x, (2.0,), 1.5, [-0.75]),
    ("x ** 3", lambda x: x**3, (2.0,), 8.0, [12.0]),                     # 3x²
    ("x ** -1", lambda x: x**-1, (2.0,), 0.5, [-0.25]),                  # -1/x²
    ("x ** 0.5", lambda x: x**0.5, (2.0,), math.sqrt(2), [0.5 / math.sqrt(2)]),
    ("(-x) ** 3", lambda x: (-x) ** 3, (2.0,), -8.0, [-12.0]),
    ("3 ** x", lambda x: 3**x, (2.0,), 9.0, [9.0 * math.log(3)]),        # cˣ ln c
    ("-x", lambda x: -x, (2.0,), -2.0, [-1.0]),
    ("+x", lambda x: +x, (2.0,), 2.0, [1.0]),
    ("exp", lambda x: x.exp(), (2.0,), E**2, [E**2]),
    ("log", lambda x: x.log(), (2.0,), math.log(2), [0.5]),              # 1/x
    ("tanh", lambda x: x.tanh(), (2.0,), TANH2, [1 - TANH2**2]),
    ("sigmoid", lambda x: x.sigmoid(), (2.0,), SIG2, [SIG2 * (1 - SIG2)]),
    ("sigmoid(-40)", lambda x: x.sigmoid(), (-40.0,), 1 / (1 + E**40),
     [E**-40 / (1 + E**-40) ** 2]),
    ("relu+", lambda x: x.relu(), (2.0,), 2.0, [1.0]),
    ("relu-", lambda x: x.relu(), (-2.0,), 0.0, [0.0]),
    ("max(x, 1)", lambda x: x.max(1), (2.0,), 2.0, [1.0]),
    ("max(x, 3)", lambda x: x.max(3), (2.0,), 3.0, [0.0]),
]


@pytest.mark.parametrize(("name", "build", "point", "value", "grads"), GATES,
                         ids=[g[0] for g in GATES])
def test_gate_by_hand_and_numerically(name, build, point, value, grads):
    data, analytic = grads_of(build, *point)
    assert data == pytest.approx(value, rel=1e-12, abs=1e-300)
    assert analytic == pytest.approx(grads, rel=1e-12, abs=1e-300)
    assert analytic == pytest.approx(list(numeric(build, *point)), rel=1e-6, abs=1e-9)


def test_cs231n_add_multiply():
    # q = x + y = 3, f = q z; df/dx = df/dy = z = -4, df/dz = q = 3
    data, grads = grads_of(lambda x, y, z: (x + y) * z, -2.0, 5.0, -4.0)
    assert data == -12.0
    assert grads == [-4.0, -4.0, 3.0]


def neuron_gates(w0, x0, w1, x1, w2):
    z = w0 * x0 + w1 * x1 + w2
    return 1 / (1 + (-z).exp())     # gates *-1, exp, +1, 1/x as on the lecture slide


def neuron_sigmoid(w0, x0, w1, x1, w2):
    return (w0 * x0 + w1 * x1 + w2).sigmoid()


@pytest.mark.parametrize("build", [neuron_gates, neuron_sigmoid])
def test_cs231n_sigmoid_neuron(build):
    w0, x0, w1, x1, w2 = 2.0, -1.0, -3.0, -2.0, -3.0
    # z = 2·(-1) + (-3)·(-2) - 3 = 1; σ'(z) = σ(1)(1 - σ(1)); df/dwᵢ = xᵢ σ', df/dxᵢ = wᵢ σ'
    s = 1 / (1 + math.exp(-1))
    ds = s * (1 - s)
    data, grads = grads_of(build, w0, x0, w1, x1, w2)
    assert data == pytest.approx(s, rel=1e-12)
    assert round(data, 4) == 0.7311
    assert grads == pytest.approx([x0 * ds, w0 * ds, x1 * ds, w1 * ds, ds], rel=1e-12)
    # the published rounded figures: dw = (-0.20, -0.39, 0.20), dx = (0.39, -0.59)
    assert [round(g, 2) for g in grads] == [-0.20, 0.39, -0.39, -0.59, 0.20]


def test_sigmoid_gate_equals_its_four_gates():
    for z in (-3.0, -0.5, 0.0, 1.0, 4.0):
        a = neuron_gates(Value(z), Value(1.0), Value(0.0), Value(0.0), Value(0.0))
        b = neuron_sigmoid(Value(z), Value(1.0), Value(0.0), Value(0.0), Value(0.0))
        assert a.data == pytest.approx(b.data, rel=1e-14)


# ---- random graphs with reuse ------------------------------------------------------------

UNARY = ["exp", "log", "tanh", "sigmoid", "relu", "neg", "pow2", "pow3", "powm1", "sqrt",
         "addc", "csub", "mulc", "cdiv", "divc", "cpow"]
BINARY = ["add", "sub", "mul", "div", "max"]


def _choose(op, a, b):
    """A form of ``op`` that is defined, smooth and moderate at this point, else tanh."""
    ok = {
        "exp": abs(a.data) < 5, "log": a.data > 0.1, "powm1": abs(a.data) > 0.1,
        "sqrt": a.data > 0.1, "cdiv": abs(a.data) > 0.1, "cpow": abs(a.data) < 5,
        "relu": abs(a.data) > 0.05, "div": abs(b.data) > 0.1,
        "max": abs(a.data - b.data) > 0.05,
    }.get(op, True)
    if not ok:
        return "tanh"
    out = _apply(op, a, b)
    return op if abs(out.data) < 1e3 else "tanh"


def _apply(op, a, b):
    return {
        "exp": lambda: a.exp(), "log": lambda: a.log(), "tanh": lambda: a.tanh(),
        "sigmoid": lambda: a.sigmoid(), "relu": lambda: a.relu(), "neg": lambda: -a,
        "pow2": lambda: a**2, "pow3": lambda: a**3, "powm1": lambda: a**-1,
        "sqrt": lambda: a**0.5, "addc": lambda: a + 1.5, "csub": lambda: 0.5 - a,
        "mulc": lambda: a * -1.7, "cdiv": lambda: 2.0 / a, "divc": lambda: a / 3.0,
        "cpow": lambda: 2.0**a, "add": lambda: a + b, "sub": lambda: a - b,
        "mul": lambda: a * b, "div": lambda: a / b, "max": lambda: a.max(b),
    }[op]()


def _graph(values, steps, plan=None):
    """Replay ``steps`` on leaves with ``values``; the first run records the safe forms."""
    nodes = [Value(float(v), f"x{k}") for k, v in enumerate(values)]
    leaves, record = list(nodes), plan is None
    plan = [] if record else plan
    for k, (op, i, j) in enumerate(steps):
        a, b = nodes[i % len(nodes)], nodes[j % len(nodes)]   # any earlier node: reuse
        if record:
            plan.append(_choose(op, a, b))
        nodes.append(_apply(plan[k], a, b))
    out = nodes[-1]
    for n in nodes[len(leaves):-1]:   # every intermediate also feeds the output: forks
        out = out + n
    return out, leaves, plan


@settings(max_examples=100, deadline=None)
@given(values=st.lists(st.floats(-2, 2), min_size=2, max_size=4),
       steps=st.lists(st.tuples(st.sampled_from(UNARY + BINARY), st.integers(0, 50),
                                st.integers(0, 50)), min_size=1, max_size=12))
def test_random_graphs_match_numerical_gradient(values, steps):
    out, leaves, plan = _graph(values, steps)
    out.backward()
    analytic = np.array([leaf.grad for leaf in leaves])
    num = numerical_gradient(lambda arr: _graph(arr, steps, plan)[0].data,
                             np.array(values, dtype=float))
    scale = max(1.0, max(abs(n.data) for n in topological_order(out)))
    np.testing.assert_allclose(analytic, num, rtol=1e-5, atol=1e-6 * scale)


# ---- backward() semantics ---------------------------------------------------------------

def test_backward_twice_same_grads():
    x, y = Value(1.5, "x"), Value(-0.5, "y")
    f = (x * y + x.exp()) * x
    f.backward()
    first = (x.grad, y.grad)
    f.backward()
    assert (x.grad, y.grad) == first


def test_square_has_two_edges_and_grad_2x():
    x = Value(3.0, "x")
    f = x * x
    assert f.inputs == (x, x)
    f.backward()
    assert x.grad == 6.0


def test_fork_sums_both_paths():
    # a = 2x feeds both a + 1 and a²: df/da = 1 + 2a = 9 at x = 2, df/dx = 2·9 = 18
    x = Value(2.0, "x")
    a = x * 2
    f = (a + 1) * 1 + a**2
    f.backward()
    assert a.grad == 9.0
    assert x.grad == 18.0


def test_chain_of_100000_nodes_has_no_recursion_limit():
    x = Value(0.5, "x")
    y = x
    for k in range(100_000):
        y = y * 1.0 if k % 2 else y + 1.0
    y.backward()
    assert x.grad == 1.0
    assert y.data == 0.5 + 50_000


def test_inputs_keep_their_order():
    x, y = Value(1.0, "x"), Value(2.0, "y")
    assert (x - y).inputs == (x, y)
    assert (y - x).inputs == (y, x)
    assert (y / x).inputs == (y, x)
    assert isinstance((x + y).inputs, tuple)
    assert (x + 1).inputs == (x,) and x.inputs == ()


def build_sample():
    a, b = Value(1.0, "a"), Value(2.0, "b")
    c = a * b
    return (c + a).tanh() * (c - b)


def test_topological_order():
    root = build_sample()
    order = topological_order(root)
    position = {id(n): i for i, n in enumerate(order)}
    assert len(position) == len(order)                 # each node once
    assert order[-1] is root
    for node in order:
        for inp in node.inputs:
            assert position[id(inp)] < position[id(node)]   # inputs before users
    describe = [n.label or n.op for n in order]
    assert describe == [n.label or n.op for n in topological_order(build_sample())]
    assert describe == ["a", "b", "*", "+", "tanh", "-", "*"]


# ---- bad input --------------------------------------------------------------------------

@pytest.mark.parametrize(("make", "error", "words"), [
    (lambda: Value("1"), TypeError, "real number"),
    (lambda: Value(True), TypeError, "real number"),
    (lambda: Value(math.nan), ValueError, "finite"),
    (lambda: Value(math.inf), ValueError, "finite"),
    (lambda: Value(1.0, label=3), TypeError, "label"),
    (lambda: Value(0.0).log(), ValueError, "positive"),
    (lambda: Value(-1.0).log(), ValueError, "positive"),
    (lambda: Value(1.0) / Value(0.0), ZeroDivisionError, "zero"),
    # the divisor by its label, or by the gate that made it: never the node's repr
    (lambda: Value(1.0) / Value(0.0, "b"), ZeroDivisionError, "^division by zero: the divisor b is 0$"),
    (lambda: 1 / (Value(1.0) - Value(1.0)), ZeroDivisionError,
     r"^division by zero: the divisor \(the output of gate '-'\) is 0$"),
    (lambda: Value(1.0) / 0, ZeroDivisionError, "zero"),
    (lambda: 1 / Value(0.0), ZeroDivisionError, "zero"),
    (lambda: Value(0.0) ** -1, ZeroDivisionError, "negative power"),
    (lambda: Value(-8.0) ** 0.5, ValueError, "non-integer"),
    (lambda: Value(2.0) ** Value(2.0), TypeError, "exponent"),
    (lambda: Value(2.0) + "1", TypeError, "real number"),
    (lambda: Value(1000.0).exp(), OverflowError, "not finite"),
    (lambda: Value(10.0) ** 400, OverflowError, "not finite"),
    (lambda: Value(1e200) * Value(1e200), OverflowError, "not finite"),
])
def test_bad_input(make, error, words):
    with pytest.raises(error, match=words):
        make()


def test_topological_order_needs_a_value():
    with pytest.raises(TypeError):
        topological_order(1.0)


# ---- engine bugs found while writing these tests ----------------------------------------

def test_power_zero_at_zero_has_gradient_zero():
    # d(x⁰)/dx = 0 everywhere; the local gradient n·x^(n-1) would divide 0 by 0 at x = 0
    x = Value(0.0, "x")
    f = x**0
    f.backward()
    assert (f.data, x.grad) == (1.0, 0.0)


def test_divide_by_number_is_exact_division():
    assert (Value(5.0) / 3).data == 5 / 3


def test_divide_by_tiny_number_says_overflow():
    with pytest.raises(OverflowError):
        Value(1.0) / 1e-320


def test_sqrt_at_zero_says_why():
    x = Value(0.0, "x")
    with pytest.raises((ValueError, ZeroDivisionError), match="infinite|not finite|\\^0.5"):
        f = x**0.5
        f.backward()


# ---- Value.local_gradients() against finite differences ------------------------------------------

OPS = {
    "+": (lambda a, b: a + b, (1.3, -0.7)),
    "-": (lambda a, b: a - b, (1.3, -0.7)),
    "*": (lambda a, b: a * b, (1.3, -0.7)),
    "/": (lambda a, b: a / b, (1.3, -0.7)),
    "max a": (lambda a, b: a.max(b), (1.3, -0.7)),
    "max b": (lambda a, b: a.max(b), (-1.3, 0.7)),
    "+c": (lambda a: a + 2.5, (0.4,)),
    "-c": (lambda a: a - 2.5, (0.4,)),
    "*c": (lambda a: a * -1.5, (0.4,)),
    "neg": (lambda a: -a, (0.4,)),
    "c-x": (lambda a: 2 - a, (0.4,)),
    "c/x": (lambda a: -3 / a, (0.4,)),
    "1/x": (lambda a: 1 / a, (-1.7,)),
    "/c": (lambda a: a / 4, (0.4,)),
    "^2": (lambda a: a**2, (-1.1,)),
    "^3": (lambda a: a**3, (-1.1,)),
    "^-1": (lambda a: a**-1, (0.8,)),
    "^0.5": (lambda a: a**0.5, (2.0,)),
    "c^x": (lambda a: 2.5**a, (0.7,)),
    "exp": (lambda a: a.exp(), (0.3,)),
    "log": (lambda a: a.log(), (1.9,)),
    "tanh": (lambda a: a.tanh(), (0.6,)),
    "sigmoid": (lambda a: a.sigmoid(), (-0.6,)),
    "relu+": (lambda a: a.relu(), (0.6,)),
    "relu-": (lambda a: a.relu(), (-0.6,)),
}


@pytest.mark.parametrize("name", list(OPS))
def test_local_gradients_match_central_differences(name):
    make, point = OPS[name]
    node = make(*(Value(p) for p in point))
    local = node.local_gradients()
    assert len(local) == len(point) == len(node.inputs)
    h = 1e-6
    for k in range(len(point)):
        up = list(point)
        down = list(point)
        up[k] += h
        down[k] -= h
        numeric = (make(*(Value(p) for p in up)).data - make(*(Value(p) for p in down)).data) / (2 * h)
        assert local[k] == pytest.approx(numeric, rel=1e-6, abs=1e-7), (name, k)


@settings(max_examples=60, deadline=None)
@given(st.floats(0.2, 3.0), st.floats(-3.0, 3.0),
       st.sampled_from(["*", "/", "-", "tanh", "sigmoid", "exp", "log", "^3"]))
def test_local_gradients_random_points(a, b, op):
    make = {"*": lambda p, q: p * q, "/": lambda p, q: q / p, "-": lambda p, q: q - p,
            "tanh": lambda p, q: (p * q).tanh(), "sigmoid": lambda p, q: (p + q).sigmoid(),
            "exp": lambda p, q: (p - q).exp(), "log": lambda p, q: p.log() * q,
            "^3": lambda p, q: (p + q) ** 3}[op]
    p, q = Value(a, "p"), Value(b, "q")
    f = make(p, q)
    f.backward()
    # chain rule through the local gradients must give backward()'s gradients
    grads: dict[int, float] = {id(f): 1.0}
    for node in reversed(topological_order(f)):
        for inp, local in zip(node.inputs, node.local_gradients()):
            grads[id(inp)] = grads.get(id(inp), 0.0) + local * grads.get(id(node), 0.0)
    assert grads[id(p)] == pytest.approx(p.grad, rel=1e-9, abs=1e-12)
    assert grads[id(q)] == pytest.approx(q.grad, rel=1e-9, abs=1e-12)


def test_local_gradients_of_a_repeated_input():
    x = Value(3.0)
    assert (x * x).local_gradients() == (3.0, 3.0)
