"""The review page: a local web server where a translator sees, fixes and confirms stored alignments.

`create_app(memory_path)` (app.py) builds the FastAPI application; `python -m align review` serves it.
"""
