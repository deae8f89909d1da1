"""`{{ person|shown_name }}`: only pages whose viewer may open the person's case load this
library (csphub.people.names)."""

from __future__ import annotations

from django import template

from csphub.people import names

register = template.Library()
register.filter("shown_name", names.shown_name)
