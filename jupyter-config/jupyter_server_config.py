# Jupyter server settings the project ships, installed as the environment's defaults
# (<env>/etc/jupyter/jupyter_server_config.py; `make` copies it there).
#
# A notebook source (notebooks/NN_*.py) records its kernel but not the kernel's
# `language_info` (Python's version among it), which differs from machine to machine. When
# the kernel starts, JupyterLab writes that `language_info` into the open notebook and marks
# it modified, so closing an unedited source asked to save it. Served with the
# `language_info` the notebook's own kernel will report, the source opens as it is, unmodified.
# Saving writes the same bytes as before: Jupytext leaves `language_info` out of the script.
from ipykernel.ipkernel import IPythonKernel
from jupytext import AsyncTextFileContentsManager


class SourcesContentsManager(AsyncTextFileContentsManager):
    """Jupytext's contents manager, whose text notebooks carry their kernel's language_info."""

    async def get(self, path, content=True, type=None, format=None, **kwargs):
        model = await super().get(path, content=content, type=type, format=format, **kwargs)
        if content and model["type"] == "notebook" and not path.endswith(".ipynb"):
            metadata = model["content"]["metadata"]
            if metadata.get("kernelspec", {}).get("language") == "python":
                metadata.setdefault("language_info", dict(IPythonKernel.language_info))
        return model


c.ServerApp.contents_manager_class = SourcesContentsManager  # noqa: F821 (Jupyter's config)
