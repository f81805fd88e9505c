"""nbgrader's exchange on a shared server (a class's JupyterHub): submissions private to their student.

hub/deploy.py installs this module into the class's environment (students' servers load it, so it is not
part of `grader`, which students may not read).

nbgrader's own submit leaves every submission world-readable, in a folder anyone may write to, hidden
only by its random name (nbgrader/exchange/default/submit.py): one leaked name and another student can
read it or change it. The hub's set-up gives the course's exchange folder to the instructors' group and
nbgrader makes inbound/ set-group-id, so what is created in inbound/ belongs to that group: owner and
group are all `nbgrader collect` needs.
"""
import os
import secrets
import shutil

from nbgrader.exchange.default import ExchangeSubmit


class PrivateSubmit(ExchangeSubmit):
    """nbgrader's submit, then the submission readable by its student and the instructors only."""

    def copy_files(self):
        super().copy_files()
        submission = os.path.join(self.inbound_path, self.assignment_filename)
        # Rebuilt in a new folder: nbgrader's copy gives the submission the mode of the student's own folder,
        # which drops the set-group-id bit, so its last files (timestamp.txt) got the student's group, and a
        # student may not hand a file to a group they are not in. Files created anew inherit the right one.
        # The name starts with "." so that `nbgrader collect` never takes the half-built copy for a submission.
        private = os.path.join(self.inbound_path, f".{secrets.token_hex(16)}")
        os.mkdir(private)
        for folder, subfolders, files in os.walk(submission):
            target = os.path.join(private, os.path.relpath(folder, submission))
            for name in subfolders:
                os.mkdir(os.path.join(target, name))
            for name in files:
                shutil.copyfile(os.path.join(folder, name), os.path.join(target, name))
                os.chmod(os.path.join(target, name), 0o440)
        for folder, _, _ in os.walk(private, topdown=False):
            os.chmod(folder, 0o2770)  # the instructors may remove it, as nbgrader's 0777 let them
        shutil.rmtree(submission)
        os.rename(private, submission)
