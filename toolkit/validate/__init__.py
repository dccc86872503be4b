"""Reading and checking returned workbooks: every problem found is a coded issue with
its cell; nothing here raises on bad content."""
