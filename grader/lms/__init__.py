"""Grading what an LMS hands over, and handing the grades back in its own format.

  roster      who the LMS's ids are (a CSV the instructor keeps)
  collectors  nbgrader zip_collect plugins: a safe extractor and a collector per LMS
  download    an LMS download turned into nbgrader's submitted/ layout, with a summary
  gradefile   the grade CSV each LMS imports (Canvas gradebook, Moodle worksheet, Blackboard Grade Centre)
"""
from .collectors import BlackboardCollector, CanvasCollector, LmsCollector, MoodleCollector, SafeExtractor

__all__ = ["BlackboardCollector", "CanvasCollector", "LmsCollector", "MoodleCollector",
           "SafeExtractor"]
