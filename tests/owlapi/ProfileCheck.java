// Loads an ontology offline through a Protégé catalog (catalog-v001.xml) with the OWL API and
// prints its OWL 2 DL profile violations, one per line; the last line is "violations: N".
// Any import the catalog does not map fails the load (nothing is fetched).
// Usage: java -cp <owlapi jars>:. ProfileCheck ONTOLOGY.ttl CATALOG.xml
import java.io.File;
import javax.xml.parsers.DocumentBuilderFactory;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.semanticweb.owlapi.util.SimpleIRIMapper;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

public class ProfileCheck {
    public static void main(String[] args) throws Exception {
        File ontology = new File(args[0]);
        File catalog = new File(args[1]);
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        manager.getIRIMappers().clear();  // no automatic lookups: only the catalog
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        NodeList uris = factory.newDocumentBuilder().parse(catalog).getElementsByTagNameNS("*", "uri");
        for (int i = 0; i < uris.getLength(); i++) {
            Element uri = (Element) uris.item(i);
            File target = new File(catalog.getParentFile(), uri.getAttribute("uri"));
            manager.getIRIMappers().add(
                new SimpleIRIMapper(IRI.create(uri.getAttribute("name")), IRI.create(target)));
        }
        OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
            .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.THROW_EXCEPTION);
        OWLOntology ont = manager.loadOntologyFromOntologyDocument(
            new FileDocumentSource(ontology), config);
        OWLProfileReport report = new OWL2DLProfile().checkOntology(ont);
        for (OWLProfileViolation v : report.getViolations()) {
            System.out.println(v.getClass().getSimpleName() + "\t" + v.toString().replace('\n', ' '));
        }
        System.out.println("ontologies: " + manager.ontologies().count());
        System.out.println("axioms: " + ont.importsClosure().mapToLong(o -> o.getAxiomCount()).sum());
        System.out.println("violations: " + report.getViolations().size());
    }
}
