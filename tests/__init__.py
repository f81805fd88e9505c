"""The test suite, laid out like the code it tests (``make test``; README, "Tests").

    tests/test_code_layout.py    the layout itself: no private name taken across modules, no sys.path edit
    tests/conftest.py            fixtures: a generated copy of the course, the graded class; the workers' order
    tests/course/                course/: each lesson's maths and widget (test_<topic>.py), checks.py's messages
                                 (test_checks.py), plots.py's pictures (test_plots.py)
    tests/course/exercises/      course/exercises/<topic>.py: a wrong answer in, the student's message out
    tests/course/widgets/        course/widgets/controls.py: every control's accessible name
    tests/grader/                grader/: a module per grader module, named for it (test_cli.py for cli.py and
                                 __main__.py, test_pipeline.py for pipeline.py with the worker and the
                                 feedback it drives end to end, test_recorder.py for the recorder's resume
                                 and backup.py, test_shards.py for shards.py, bundles.py and dblock.py)
    tests/grader/preprocessors/  grader/preprocessors/, a module per preprocessor (the subclasses of nbgrader's
                                 ClearSolutions and OverwriteCells also pass nbgrader's own tests of those);
                                 ConfirmAnswers and SandboxedExecute are tested where they act: e2e/adversarial/,
                                 sandbox/test_warm.py
    tests/grader/sandbox/        grader/sandbox/: the launcher, warm kernels, the course view
    tests/notebooks/             the committed notebooks: format and contract (test_static.py), headings,
                                 own words, "try it" numbers, the autodiff engines built on screen
    tests/e2e/                   whole paths: the round trip, what a student sees, starts and receives, a new
                                 lesson; adversarial/: hostile submissions and the attacks behind them
    tests/browser/               JupyterLab in Chromium (one worker, one JupyterLab)
    tests/hub/                   a class on a real JupyterHub (as root)
    tests/support/               what the tests share: course files, nbgrader runs, JupyterLab and PostgreSQL
                                 servers, sample classes, gradebook comparison, LMS downloads
    tests/submissions/           each lesson's variants, their scores, and ALL_WRONG (data, loaded by path)

Test modules import helpers as ``tests.support.<module>``: every folder is a package, so pytest puts the
repository on ``sys.path`` and no test edits it.
"""
