"""A scalar reverse-mode automatic differentiation engine: the computational graph of Lesson 1.

In the spirit of micrograd's ``engine.py``: one small class, one closure per operation.
Two differences matter for teaching and for robustness:

* a node keeps its inputs in order, in a tuple (micrograd uses a set, so ``x * x`` would
  show one edge instead of two, and the drawing order could change between runs);
* ``backward()`` sorts the graph iteratively, so a chain of 100,000 nodes does not hit
  Python's recursion limit, and it starts from zero gradients every time, so calling it
  twice gives the same gradients.

An operation with a plain number on one side becomes a one-input gate whose label carries
the number (``+1``, ``*-1``, ``1/x``), as in the CS231n lecture figures, instead of an extra
leaf node for the constant.

Run ``python -m lessons.autograd "(x + y) * z" x=-2 y=5 z=-4`` for the command-line tool
(see ``lessons.expression``).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterator

__all__ = ["Value", "topological_order"]


def _as_float(x: object, what: str) -> float:
    """Check that ``x`` is a real, finite number and return it as a float."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{what} must be a real number, got {type(x).__name__}: {x!r}")
    value = float(x)
    if not math.isfinite(value):
        raise ValueError(f"{what} must be finite, got {value!r}")
    return value


def _number(c: float) -> str:
    """A number as a gate label or an error message shows it: 1 rather than 1.0."""
    return str(int(c)) if float(c).is_integer() and abs(c) < 1e15 else repr(float(c))


def _described(node: Value) -> str:
    """A node for an error message: its label, else the gate that made it (never its repr)."""
    if node.label:
        return node.label
    return f"(the output of gate {node.op!r})" if node.op else "(an unlabelled input)"


class Value:
    """A scalar node of a computational graph: its value, its gradient and how it was made.

    Examples:
        >>> x, y, z = Value(-2.0, "x"), Value(5.0, "y"), Value(-4.0, "z")
        >>> f = (x + y) * z
        >>> f.backward()
        >>> f.data, x.grad, y.grad, z.grad
        (-12.0, -4.0, -4.0, 3.0)
    """

    __slots__ = ("data", "grad", "label", "op", "inputs", "_local")

    def __init__(self, data: float, label: str = "", *, _inputs: tuple[Value, ...] = (),
                 _op: str = "") -> None:
        self.data = _as_float(data, "Value data")
        if not isinstance(label, str):
            raise TypeError(f"label must be a str, got {type(label).__name__}")
        self.grad = 0.0
        self.label = label
        self.op = _op            # the gate that produced this node ("" for an input)
        self.inputs = _inputs    # in order: x * x has the same input twice
        self._local: Callable[[], tuple[float, ...]] = tuple  # an input has no gate

    def __repr__(self) -> str:
        name = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{name})"

    # ---- building blocks -------------------------------------------------------------

    def _gate(self, data: float, inputs: tuple[Value, ...], op: str,
              local_grads: Callable[[], tuple[float, ...]]) -> Value:
        """A new node made by gate ``op``; ``local_grads`` closes over the inputs' values."""
        if not math.isfinite(data):
            raise OverflowError(f"the result of gate {op!r} is not finite ({data!r}): "
                                "the inputs are too large for this operation")
        out = Value(data, _inputs=inputs, _op=op)
        out._local = local_grads
        return out

    def local_gradients(self) -> tuple[float, ...]:
        """d(self)/d(input) for each input of this node's gate, in input order.

        Examples:
            >>> a, b = Value(3.0), Value(-2.0)
            >>> (a * b).local_gradients()
            (-2.0, 3.0)
        """
        return tuple(float(g) for g in self._local())

    def _backward(self) -> None:
        # chain rule: each input receives local gradient × upstream gradient, and `+=`
        # (not `=`) because a node used twice (a fork) receives the sum of both paths.
        for node, local in zip(self.inputs, self._local()):
            node.grad += local * self.grad

    @staticmethod
    def _lift(other: object) -> Value | float:
        if isinstance(other, Value):
            return other
        return _as_float(other, "the other operand")

    # ---- binary operators ------------------------------------------------------------

    def __add__(self, other: object) -> Value:
        o = self._lift(other)
        if isinstance(o, Value):
            # add distributes: the local gradient of each input is 1
            return self._gate(self.data + o.data, (self, o), "+", lambda: (1.0, 1.0))
        # a plain number on one side: a one-input gate labelled "+c" (or "-c")
        return self._gate(self.data + o, (self,), f"+{_number(o)}" if o >= 0
                          else f"-{_number(-o)}", lambda: (1.0,))

    __radd__ = __add__

    def __sub__(self, other: object) -> Value:
        o = self._lift(other)
        if isinstance(o, Value):
            return self._gate(self.data - o.data, (self, o), "-", lambda: (1.0, -1.0))
        return self + (-o)

    def __rsub__(self, other: object) -> Value:
        c = _as_float(other, "the other operand")
        return self._gate(c - self.data, (self,), f"{_number(c)}-x", lambda: (-1.0,))

    def __mul__(self, other: object) -> Value:
        o = self._lift(other)
        if isinstance(o, Value):
            # multiply swaps: each input's local gradient is the *other* input's value
            return self._gate(self.data * o.data, (self, o), "*",
                              lambda: (o.data, self.data))
        # a plain number c: a one-input gate "*c" whose local gradient is c
        return self._gate(self.data * o, (self,), f"*{_number(o)}", lambda: (o,))

    __rmul__ = __mul__

    def __truediv__(self, other: object) -> Value:
        o = self._lift(other)
        if isinstance(o, Value):
            if o.data == 0.0:
                raise ZeroDivisionError(f"division by zero: the divisor {_described(o)} is 0")
            # -a/b/b rather than -a/b**2: b**2 underflows to 0 for |b| near 1e-200
            return self._gate(self.data / o.data, (self, o), "/",
                              lambda: (1.0 / o.data, -self.data / o.data / o.data))
        if o == 0.0:
            raise ZeroDivisionError("division by zero: the divisor is 0")
        # a gate of its own, not x * (1/c): that would round twice (5/3 ≠ 5 * (1/3))
        return self._gate(self.data / o, (self,), f"/{_number(o)}", lambda: (1.0 / o,))

    def __rtruediv__(self, other: object) -> Value:
        c = _as_float(other, "the numerator")
        if self.data == 0.0:
            raise ZeroDivisionError(f"division by zero: the divisor {_described(self)} is 0")
        # d(c/x)/dx = -c/x**2: the minus sign students forget most often
        return self._gate(c / self.data, (self,), f"{_number(c)}/x",
                          lambda: (-c / self.data / self.data,))

    def __pow__(self, exponent: object) -> Value:
        if isinstance(exponent, Value):
            raise TypeError("the exponent must be a plain number, not a Value "
                            "(write exp(y * log(x)) for x ** y)")
        n = _as_float(exponent, "the exponent")
        if self.data == 0.0 and n < 0:
            raise ZeroDivisionError(f"0 cannot be raised to the negative power {_number(n)}")
        if self.data == 0.0 and 0 < n < 1:
            raise ValueError(f"x ** {_number(n)} at x = 0: the value is 0, but the derivative is "
                             "infinite there, so the backward pass is undefined")
        if self.data < 0 and not n.is_integer():
            raise ValueError(f"a negative base ({_number(self.data)}) cannot be raised to the "
                             f"non-integer power {_number(n)}")
        try:
            data = self.data**n
        except OverflowError:
            data = math.inf  # reported by _gate with a clear message
        return self._gate(data, (self,), f"^{_number(n)}",
                          lambda: (0.0 if n == 0 else n * self.data ** (n - 1),))

    def __rpow__(self, base: object) -> Value:
        b = _as_float(base, "the base")
        if b <= 0:
            raise ValueError(f"the base of a power with a Value exponent must be positive, "
                             f"got {_number(b)}")
        try:
            data = b**self.data
        except OverflowError:
            data = math.inf
        return self._gate(data, (self,), f"{_number(b)}^x", lambda: (data * math.log(b),))

    def __neg__(self) -> Value:
        return self * -1.0

    def __pos__(self) -> Value:
        return self

    # ---- functions -------------------------------------------------------------------

    def exp(self) -> Value:
        """e to the power of this node; its local gradient is the output itself."""
        try:
            data = math.exp(self.data)
        except OverflowError:
            data = math.inf
        return self._gate(data, (self,), "exp", lambda: (data,))

    def log(self) -> Value:
        """Natural logarithm; only defined for positive values."""
        if self.data <= 0:
            raise ValueError(f"log is only defined for positive numbers, got {_number(self.data)}")
        return self._gate(math.log(self.data), (self,), "log", lambda: (1.0 / self.data,))

    def tanh(self) -> Value:
        """Hyperbolic tangent; local gradient 1 - tanh²."""
        t = math.tanh(self.data)
        return self._gate(t, (self,), "tanh", lambda: (1.0 - t * t,))

    def sigmoid(self) -> Value:
        """The logistic function 1 / (1 + e^-x) as one gate; local gradient σ(1 - σ)."""
        x = self.data
        # the two algebraically equal forms keep exp() from overflowing for large |x|
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
        return self._gate(s, (self,), "sigmoid", lambda: (s * (1.0 - s),))

    def relu(self) -> Value:
        """max(0, x); the gradient passes where the input was positive."""
        return self._gate(max(0.0, self.data), (self,), "relu",
                          lambda: (1.0 if self.data > 0 else 0.0,))

    def max(self, other: object) -> Value:
        """The larger of two inputs; the gradient is routed to the winner only."""
        o = self._lift(other)
        if not isinstance(o, Value):
            o = Value(o)
        first_wins = self.data >= o.data
        return self._gate(max(self.data, o.data), (self, o), "max",
                          lambda: (1.0, 0.0) if first_wins else (0.0, 1.0))

    # ---- reverse mode ----------------------------------------------------------------

    def backward(self) -> None:
        """Fill ``.grad`` of every node in this graph with d(self)/d(node).

        Gradients start from zero on every call, so calling it twice gives the same result.
        """
        order = topological_order(self)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            node._backward()


def topological_order(root: Value) -> list[Value]:
    """``root`` and every node it depends on, inputs before the nodes made from them.

    Iterative depth-first search: no recursion limit, each node listed once,
    inputs visited in their stored order so the result is the same on every run.

    Examples:
        >>> a = Value(2.0, "a")
        >>> [n.label or n.op for n in topological_order(a * a + 1)]
        ['a', '*', '+1']
    """
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value, got {type(root).__name__}")
    order: list[Value] = []
    seen: set[int] = set()
    stack: list[tuple[Value, Iterator[Value]]] = [(root, iter(root.inputs))]
    seen.add(id(root))
    while stack:
        node, children = stack[-1]
        for child in children:
            if id(child) not in seen:
                seen.add(id(child))
                stack.append((child, iter(child.inputs)))
                break
        else:
            stack.pop()
            order.append(node)
    return order


if __name__ == "__main__":  # pragma: no cover - thin wrapper, tested through lessons.expression
    import sys

    from lessons.expression import main

    sys.exit(main())
