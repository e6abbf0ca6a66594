"""Moodle's question formats (GIFT and Moodle XML) read and written as pure functions, no ORM.

model.py holds the interchange question both formats read into and write from; weights.py decides
which Moodle weights our scoring rule can express; gift.py and moodle_xml.py are the formats;
mapping.py turns a quiz's questions into interchange questions and previews an import.
"""
