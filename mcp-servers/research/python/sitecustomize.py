"""Puts the user's pip-installed packages ($QF_USER_SITE) on sys.path, after the venv's own.

Appended (not prepended, as PYTHONPATH would) so a dependency pip reinstalled there never
shadows the venv's pinned polars, numpy or pandas.
"""
import os
import site

_user_site = os.environ.get("QF_USER_SITE")
if _user_site and os.path.isdir(_user_site):
    site.addsitedir(_user_site)
