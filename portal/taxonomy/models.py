"""The component value chain, processes and certifications that firms and needs refer to."""

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.taxonomy.names import local_name


class ComponentCategory(db.Model):
    __tablename__ = "component_category"

    slug: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    group: Mapped[str] = mapped_column(String(60))
    hs_code: Mapped[str | None] = mapped_column(String(20))
    synonyms: Mapped[str] = mapped_column(Text, default="")
    # Localization phase: 1 simple parts first, 3 the hardest electronics; staff may change it.
    phase: Mapped[int] = mapped_column(default=3)

    @property
    def synonym_list(self) -> list[str]:
        return [s for s in self.synonyms.split("|") if s]

    @property
    def label(self) -> str:
        """The name in the reader's language."""
        return local_name("category", self.slug, self.name)

    def __repr__(self) -> str:
        return f"<ComponentCategory {self.slug}>"


class Process(db.Model):
    __tablename__ = "process"

    slug: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    synonyms: Mapped[str] = mapped_column(Text, default="")

    @property
    def synonym_list(self) -> list[str]:
        return [s for s in self.synonyms.split("|") if s]

    @property
    def label(self) -> str:
        """The name in the reader's language."""
        return local_name("process", self.slug, self.name)


class CertificationType(db.Model):
    __tablename__ = "certification_type"

    slug: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(120), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    @property
    def label(self) -> str:
        """The name in the reader's language (most certifications keep their Latin name)."""
        return local_name("certification", self.slug, self.name)
