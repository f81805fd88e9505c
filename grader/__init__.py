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
                 and warm kernels (one long-lived sandbox per grading process, a forked kernel per notebook)
  answers        reference answers and answer keys, used to confirm marks outside the kernel
  lessons        the course's shape read from its folders: assignments, notebooks, lesson modules
  course         where the course lives, its nbgrader config, its gradebook
  intake         reading and checking submissions (folder or zip)
  lms            Canvas, Moodle and Blackboard downloads in (zip_collect plugins, a roster), grade files out
  integrity      reading a submission without running it (structural edits, tampering code)
  worker         one grading worker: stock autograde + feedback in a private course copy
  recorder       the single writer that copies a worker's results into the gradebook
  feedback       the scan that proves feedback shows no hidden test
  report         grades.csv and reports/<assignment>/class_report.html
  pipeline       ties them together: incremental, parallel, with a progress line
  selfcheck      proves the course itself grades right (source full marks, release zero)
See docs/grading.md.
"""
from .errors import GradingError

__all__ = ["GradingError"]
