"""Exercise kinds ``backprop.graph`` and ``backprop.sign``: a placeholder.

The two graph kinds of Lesson 1 land from branch e2 (helper "graph"), which replaces this
file; until then it defines no kind, so ``lessons.practice.kinds()`` lists the gate kind only.
"""

KINDS = ()
