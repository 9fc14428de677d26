"""What one page shows: its tables, figures and generated sentences, one module per page.

Each module is named after the page it serves (``backprop``, ``normalization``,
``convolutions``); the engine modules it calls (``lessons.autograd``, ``lessons.conv``, …)
keep their own names one level up.
"""
