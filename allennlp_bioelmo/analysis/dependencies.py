"""
The analysis commands' optional dependencies: matplotlib (figures) and scikit-learn (PCA, t-SNE),
the `viz` extra (`pip install 'allennlp-bioelmo[viz]'`; `make install` pins both). They are
imported when first needed, so the rest of the plugin works without them, and a missing one is
a clear `AnalysisError` saying how to install it.
"""

import importlib
from types import ModuleType

from allennlp_bioelmo.analysis import AnalysisError

INSTALL_HINT = (
    "pip install 'allennlp-bioelmo[viz]' (in a checkout: `make install`, or "
    "pip install -e '.[viz]')"
)
DISTRIBUTIONS = {"matplotlib": "matplotlib", "sklearn": "scikit-learn"}


def import_optional(module: str, purpose: str) -> ModuleType:
    """`module` imported, or an `AnalysisError` naming what needs it and how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        distribution = DISTRIBUTIONS.get(module.split(".")[0], module.split(".")[0])
        raise AnalysisError(
            f"{purpose} needs {distribution}, which is not installed ({error}). Install the "
            f"plotting extra: {INSTALL_HINT}"
        ) from error


def require_viz(purpose: str) -> None:
    """Fails early, before any computation, when the `viz` extra is missing."""
    import_optional("matplotlib", purpose)
    import_optional("sklearn", purpose)


def matplotlib_figure(purpose: str, **kwargs):
    """A matplotlib `Figure` drawn off-screen (Agg), independent of pyplot's global state."""
    figure_module = import_optional("matplotlib.figure", purpose)
    backend = import_optional("matplotlib.backends.backend_agg", purpose)
    figure = figure_module.Figure(**kwargs)
    backend.FigureCanvasAgg(figure)
    return figure
