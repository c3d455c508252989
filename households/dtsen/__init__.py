"""Loading DTSEN files into the register: read, check row by row, then write in one go.

`reading` opens a spreadsheet or CSV and finds its header (`xlsx` streams a large sheet),
`rules` turns each row into a clean record or a problem, `checking` runs both in a child
process with bounded memory and time (`reader_server` is where that child starts), and
`problems` keeps what it found on disk. `staging` compares the accepted rows with the
register and writes them; `loading.dtsen_load` is the one service behind the command, the
upload page and the tests, and `services` the life of a load (check, import, stop,
interrupted). `report` writes the rejected rows back out, `changes` lists who a load
adds or changes.
"""
