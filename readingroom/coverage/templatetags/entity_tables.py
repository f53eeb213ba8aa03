from django import template

from readingroom.coverage.rendering import coverage_matrix_html

register = template.Library()


@register.filter
def matrix_table(matrix, documents):
    """``{{ matrix|matrix_table:documents }}``: the coverage matrix's table (see rendering.py)."""
    return coverage_matrix_html(matrix, documents)
