"""A notebook as nbgrader's generate_feedback sees it after autograding, for the feedback-page tests
(tests/grader/test_feedback_html.py, tests/browser/test_accessibility.py)."""
import nbformat
from nbformat.v4 import new_code_cell, new_output

HOSTILE_LINE = "a <b>printed</b> & 'quoted' line\n"


def graded(nb, printed=HOSTILE_LINE, picture=None):
    """``nb`` (a copy) after GetGrades: half the points on each graded cell, a comment on each answer cell,
    ``printed`` as the output of each code cell that has none (the first of them also shows ``picture``, a
    base64 PNG, when given), and a last cell that raised ZeroDivisionError."""
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            meta["score"] = meta.get("points", 1) / 2
        if meta.get("solution"):
            meta["comment"] = "Partly right: see the failed check."
        if cell.cell_type == "code" and not cell.outputs:
            cell.outputs = [new_output("stream", name="stdout", text=printed)]
            if picture is not None:
                cell.outputs.append(new_output("display_data", data={"image/png": picture, "text/plain": "<Figure>"}))
                picture = None
    nb.cells.append(new_code_cell("1 / 0", outputs=[new_output(
        "error", ename="ZeroDivisionError", evalue="division by zero",
        traceback=["\x1b[0;31mZeroDivisionError\x1b[0m: division by zero"])]))
    return nb
