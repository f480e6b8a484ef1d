"""What the project is called and which version it is: read by the package, the CLI, the pages
and the exports without importing anything else of kg."""

__version__ = "0.1.0"
#: The project's own title and description, in neutral words (the texts' words stay in quotes).
TITLE = "Hong Kong 2019–2021: a timeline and event knowledge graph"
DESCRIPTION = (
    "Events, actors, posts, attributed claims and the links between events around the Hong Kong "
    "extradition bill, the national security law and the organisations that responded to it, "
    "2019-2021, each resting on a verbatim quote from its source document, with dates in EDTF at "
    "the precision the sources give."
)
