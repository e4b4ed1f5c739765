"""The meeting line: day partitions, the stage assets from raw recordings to exports, their checks, job and schedule.

Module imports only here: the domain's pieces import one another, so nothing is re-exported.
"""
