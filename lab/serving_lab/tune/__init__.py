"""`serving tune`: sweep serving layouts for one model, through the real server."""
