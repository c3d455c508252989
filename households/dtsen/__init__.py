"""Loading DTSEN files into the register: read, check row by row, then write in one go.

`reading` opens a spreadsheet or CSV and finds its header, `rules` turns each row into a
clean record or a problem, `loading.dtsen_load` is the one service behind the command,
the upload page and the tests, and `report` writes the rejected rows back out.
"""
