from .authors import Author
from .pages import Audience, BlogIndexPage, BlogPostPage, BlogPostTag
from .settings import BlogSettings
from .syndication import SyndicationFailure, SyndicationJob
from .taxonomy import PostType, Product

__all__ = [
    "Audience",
    "Author",
    "BlogIndexPage",
    "BlogPostPage",
    "BlogPostTag",
    "BlogSettings",
    "PostType",
    "Product",
    "SyndicationFailure",
    "SyndicationJob",
]
