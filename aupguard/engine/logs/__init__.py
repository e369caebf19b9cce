"""Logs seen after the fact: Squid's access.log, read line by line and judged at each line's time."""
