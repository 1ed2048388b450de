// The training report: cross-validated accuracy against chance, Cohen's kappa, the information
// transfer rate, the confusion matrix (rows = true class, each cell its count and share of the
// row), and for gradient-trained decoders the loss and accuracy per epoch as two small inline SVG
// charts (train solid, validation dashed). Takes a plain TrainingReport (training-report.ts).

import type { CSSProperties } from 'react';
import { CURVE_HEIGHT, CURVE_WIDTH, trainingReportView, type TrainingReport } from './training-report.js';

export function TrainingReportView({ report }: { readonly report: TrainingReport }) {
  const view = trainingReportView(report);
  return (
    <div className="training-report" data-testid="training-report" data-accuracy={report.accuracy} data-kappa={report.kappa}>
      <div className="report-headline">
        <span className="report-decoder">{report.decoder}</span>
        <strong className="report-accuracy">{view.headline}</strong>
      </div>
      <div className="report-figures">
        <span>{view.kappa}</span>
        <span className="muted">{view.chance}</span>
        {view.itr && <span>ITR {view.itr}</span>}
      </div>
      {view.rejected && <p className="panel-note">{view.rejected}</p>}
      {view.inconsistent && <p className="note-warn">Check this report: {view.inconsistent}.</p>}
      <table className="confusion" aria-label="Confusion matrix: rows are the true class, columns the predicted class">
        <thead>
          <tr>
            <th scope="col" className="confusion-corner">true ╲ predicted</th>
            {view.columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
            <th scope="col">recall</th>
          </tr>
        </thead>
        <tbody>
          {view.rows.map((row) => (
            <tr key={row.label}>
              <th scope="row">{row.label}</th>
              {row.cells.map((cell, i) => (
                <td key={i} className={cell.diagonal ? 'diagonal' : undefined} style={{ '--share': Number.isFinite(cell.fraction) ? cell.fraction : 0 } as CSSProperties} title={Number.isFinite(cell.fraction) ? `${(cell.fraction * 100).toFixed(0)}% of ${row.label}` : undefined}>
                  {cell.count}
                </td>
              ))}
              <td className="recall">{Number.isFinite(row.recall) ? `${(row.recall * 100).toFixed(0)}%` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {view.curves && (
        <div className="curves" data-testid="learning-curves">
          <figure>
            <figcaption>
              Loss per epoch <span className="muted">(0-{view.curves.lossMax.toPrecision(2)})</span>
            </figcaption>
            <svg viewBox={`0 0 ${CURVE_WIDTH} ${CURVE_HEIGHT}`} preserveAspectRatio="none" role="img" aria-label="Training and validation loss per epoch">
              <path d={view.curves.paths.trainLoss} className="curve train" />
              <path d={view.curves.paths.validationLoss} className="curve validation" />
            </svg>
          </figure>
          <figure>
            <figcaption>
              Accuracy per epoch <span className="muted">(0-100%; best validation {(view.curves.best.accuracy * 100).toFixed(1)}% at epoch {view.curves.best.epoch})</span>
            </figcaption>
            <svg viewBox={`0 0 ${CURVE_WIDTH} ${CURVE_HEIGHT}`} preserveAspectRatio="none" role="img" aria-label="Training and validation accuracy per epoch">
              <path d={view.curves.paths.trainAccuracy} className="curve train" />
              <path d={view.curves.paths.validationAccuracy} className="curve validation" />
            </svg>
          </figure>
          <p className="curve-legend">
            <span className="legend-train">train</span> <span className="legend-validation">validation</span> · {view.curves.epochs} epochs
          </p>
        </div>
      )}
    </div>
  );
}
