"""Every word samverkan shows and every number it formats, in Swedish and English.

The engine (io, graph, metrics) returns facts: codes, ids and numbers. The words are made here,
at the edge, in the language of the output:

- :mod:`.format`: one number, percent and date formatter per language and one sort key
  (Swedish alphabetical order, å ä ö after z);
- :mod:`.catalogue`: the vocabulary shared by every output (severity words, roles, the findings'
  and white spots' sentences) and :func:`finding_messages`, which words the findings;
- :mod:`.notes`: the computation notes of the analysis;
- :mod:`.report`, :mod:`.views`: the sentences and headings of the report and of the views.
"""

from .format import format_date, format_fixed, format_int, format_number, format_percent, sort_key

__all__ = ["format_date", "format_fixed", "format_int", "format_number", "format_percent", "sort_key"]
