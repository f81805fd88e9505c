"""The instructor and CI side of How Networks Learn: never imported by notebooks, never mounted
in the grading sandbox.

``python -m grader grade`` takes a class's submissions (a folder in nbgrader's
``submitted/<student>/<assignment>/`` layout, an LMS zip, or the course's own
``submitted/``), autogrades them in parallel with nbgrader's own Autograde converter,
records every score in the course gradebook through nbgrader's API, writes feedback
that never shows hidden tests, exports ``grades.csv`` and a class report.

Packages and modules:
  preprocessors  nbgrader preprocessors registered in nbgrader_config.py (one class a file)
  sandbox        the bubblewrap grading kernel: limits, command, kernelspec, launcher, manager, preflight,
                 the course view the kernel imports, and warm kernels (one long-lived sandbox per grading
                 process, a forked kernel per notebook)
  answers        reference answers and answer keys, used to confirm marks outside the kernel
  hints          the checks' success texts and named mistakes, sealed into course/exercises/sealed.py
  lms            Canvas, Moodle and Blackboard downloads in (zip_collect plugins, a roster), grade files out
  cli            ``python -m grader`` (``__main__``): the commands and their exit codes
  lessons        the course's shape read from its folders: assignments, notebooks, lesson modules
  course         where the course lives, its nbgrader config, its gradebook
  errors         GradingError, the problem a user can fix, turned into a clear message
  intake         reading and checking submissions (folder or zip)
  integrity      reading a submission without running it (structural edits, tampering code)
  confirm        the hidden checks: questions asked in the kernel, judged here against ``answers``
  worker         one grading worker: stock autograde + feedback in a private course copy
  recorder       the single writer that copies a worker's results into the gradebook
  alembic_head   the gradebook schema's version, read in-process (no ``alembic heads`` subprocess)
  feedback       the scan that proves feedback shows no hidden test
  feedback_html  the exporter of feedback pages (nbconvert's, less a re-parse; accessible colours)
  report         grades.csv and reports/<assignment>/class_report.html
  pipeline       ties them together: incremental, parallel, with a progress line
  shards         ``grade --shard K/N``: one deterministic part of a class into a result bundle
  bundles        result bundles and ``record``, the one writer that merges them into the gradebook
  dblock         PostgreSQL advisory locks for recorders sharing one gradebook
  backup         ``python -m grader backup|restore``: the gradebook, copied safely
  selfcheck      proves the course itself grades right (source full marks, release zero)
See docs/grading.md. (Comparing gradebooks and building sample classes is for tests and benchmarks only:
tests/support/compare.py and samples.py.)
"""
from .errors import GradingError

__all__ = ["GradingError"]
