"""The seed's chapter 6 as demo data: `content` holds the text, `loader` writes it."""
