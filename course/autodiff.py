"""A tiny automatic-differentiation engine: what `loss.backward()` does, in one screen.

Every number is a ``Value`` that remembers which Values it was made from and how.
``backward()`` visits them from the loss back to the inputs (a topological sort, so each
Value is finished before anything it was made from) and applies the chain rule at each:
a Value's gradient is passed to its parents, multiplied by the local slope of the
operation that joined them. Gradients that arrive along several paths add up.

    >>> w = Value(0.3); loss = (w * 1.5 - 1.0) ** 2
    >>> loss.backward(); round(w.grad, 6)
    -1.65

In the spirit of Andrej Karpathy's micrograd, reduced to what lesson 05 needs.
"""
import math


class Value:
    """A scalar that records the operations applied to it, so gradients can flow back."""

    def __init__(self, data, parents=(), op=""):
        self.data = float(data)
        self.grad = 0.0  # d(final output) / d(this value), filled in by backward()
        self._parents = parents
        self._op = op
        self._backward = lambda: None  # passes self.grad on to the parents

    def __repr__(self):
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():  # d(a+b)/da = 1, d(a+b)/db = 1
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():  # d(a*b)/da = b, d(a*b)/db = a
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __pow__(self, exponent):
        assert isinstance(exponent, (int, float)), "only a plain number as exponent"
        out = Value(self.data ** exponent, (self,), f"**{exponent}")

        def _backward():  # d(a^n)/da = n * a^(n-1)
            self.grad += exponent * self.data ** (exponent - 1) * out.grad
        out._backward = _backward
        return out

    def exp(self):
        out = Value(math.exp(self.data), (self,), "exp")

        def _backward():  # d(e^a)/da = e^a
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def sigmoid(self):
        s = 1.0 / (1.0 + math.exp(-self.data)) if self.data >= 0 else math.exp(self.data) / (1.0 + math.exp(self.data))
        out = Value(s, (self,), "sigmoid")

        def _backward():  # d(sigmoid(a))/da = s * (1 - s)
            self.grad += s * (1.0 - s) * out.grad
        out._backward = _backward
        return out

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-other)

    def __truediv__(self, other):
        return self * other ** -1

    def __radd__(self, other):
        return self + other

    def __rsub__(self, other):
        return (-self) + other

    def __rmul__(self, other):
        return self * other

    def __rtruediv__(self, other):
        return Value(other) * self ** -1

    def backward(self):
        """Fill in ``.grad`` of every Value this one was computed from (d self / d that Value)."""
        order, seen = [], set()

        def visit(v):  # depth first: a Value is listed after everything it was made from
            if id(v) not in seen:
                seen.add(id(v))
                for parent in v._parents:
                    visit(parent)
                order.append(v)
        visit(self)
        for v in order:
            v.grad = 0.0
        self.grad = 1.0  # d self / d self
        for v in reversed(order):
            v._backward()
