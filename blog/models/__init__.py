from .authors import Author
from .pages import BlogIndexPage, BlogPostPage, BlogPostTag
from .syndication import SyndicationFailure, SyndicationJob
from .taxonomy import PostType, Product

__all__ = [
    "Author",
    "BlogIndexPage",
    "BlogPostPage",
    "BlogPostTag",
    "PostType",
    "Product",
    "SyndicationFailure",
    "SyndicationJob",
]
