// OwlApiCheck: load an OWL entry file the way Protégé does (OWL API, imports resolved
// through catalog-v001.xml only) and print a JSON report: ontologies loaded, unparsed
// triples, OWL API error entities, unresolved imports and OWL 2 DL profile violations.
// Usage: java -cp <owlapi jars>:<dir> OwlApiCheck ENTRY.ttl CATALOG.xml
// Exit code: 0 clean, 1 findings, 2 load failure.
import java.io.File;
import java.util.*;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.RDFDocumentFormat;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.model.*;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.semanticweb.owlapi.util.SimpleIRIMapper;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

public class OwlApiCheck {
    static String q(Object o) {
        String s = String.valueOf(o);
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    static String arr(Collection<String> items) {
        return items.stream().map(OwlApiCheck::q).collect(Collectors.joining(", ", "[", "]"));
    }

    public static void main(String[] args) throws Exception {
        File entry = new File(args[0]).getAbsoluteFile();
        File catalog = new File(args[1]).getAbsoluteFile();
        OWLOntologyManager m = OWLManager.createOWLOntologyManager();
        m.getIRIMappers().clear();  // no web, no auto-mapping: only the catalog
        NodeList uris = DocumentBuilderFactory.newInstance().newDocumentBuilder()
            .parse(catalog).getElementsByTagName("uri");
        for (int i = 0; i < uris.getLength(); i++) {
            Element e = (Element) uris.item(i);
            File f = new File(catalog.getParentFile(), e.getAttribute("uri"));
            m.getIRIMappers().add(new SimpleIRIMapper(IRI.create(e.getAttribute("name")), IRI.create(f)));
        }
        OWLOntologyLoaderConfiguration cfg = new OWLOntologyLoaderConfiguration()
            .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.THROW_EXCEPTION)
            .setReportStackTraces(false);
        long t0 = System.currentTimeMillis();
        OWLOntology ont;
        try {
            ont = m.loadOntologyFromOntologyDocument(new FileDocumentSource(entry), cfg);
        } catch (Exception ex) {
            System.out.println("{\"loaded\": false, \"error\": " + q(ex.getClass().getName() + ": " + ex.getMessage()) + "}");
            System.exit(2);
            return;
        }
        long loadMs = System.currentTimeMillis() - t0;
        List<String> onts = new ArrayList<>(), unparsed = new ArrayList<>(), errors = new ArrayList<>(),
            unresolved = new ArrayList<>(), violations = new ArrayList<>();
        for (OWLOntology o : ont.getImportsClosure()) {
            IRI doc = m.getOntologyDocumentIRI(o);
            onts.add(o.getOntologyID().getOntologyIRI().map(IRI::toString).orElse("(anonymous)") + " <- " + doc);
            if (!"file".equals(doc.getScheme())) unresolved.add(doc.toString());
            OWLDocumentFormat fmt = m.getOntologyFormat(o);
            if (fmt instanceof RDFDocumentFormat) {
                ((RDFDocumentFormat) fmt).getOntologyLoaderMetaData().ifPresent(md ->
                    md.getUnparsedTriples().forEach(t -> unparsed.add(doc.toString() + ": " + t)));
            }
            o.signature().forEach(e -> {
                if (e.getIRI().toString().startsWith("http://org.semanticweb.owlapi/error#"))
                    errors.add(doc.toString() + ": " + e);
            });
        }
        for (OWLImportsDeclaration d : (Iterable<OWLImportsDeclaration>) ont.importsClosure()
                .flatMap(OWLOntology::importsDeclarations)::iterator) {
            if (m.getImportedOntology(d) == null) unresolved.add(d.getIRI().toString());
        }
        long t1 = System.currentTimeMillis();
        OWLProfileReport report = new OWL2DLProfile().checkOntology(ont);
        for (OWLProfileViolation v : report.getViolations()) {
            violations.add(v.getClass().getSimpleName() + ": " + v.toString());
        }
        long profileMs = System.currentTimeMillis() - t1;
        int axioms = ont.importsClosure().mapToInt(OWLOntology::getAxiomCount).sum();
        boolean ok = unparsed.isEmpty() && errors.isEmpty() && unresolved.isEmpty() && violations.isEmpty();
        System.out.println("{\"loaded\": true, \"ok\": " + ok
            + ", \"axiom_count\": " + axioms
            + ", \"load_ms\": " + loadMs + ", \"profile_ms\": " + profileMs
            + ", \"ontologies\": " + arr(onts)
            + ", \"unparsed_triples\": " + arr(unparsed)
            + ", \"error_entities\": " + arr(errors)
            + ", \"unresolved_imports\": " + arr(unresolved)
            + ", \"profile_violations\": " + arr(violations) + "}");
        System.exit(ok ? 0 : 1);
    }
}
